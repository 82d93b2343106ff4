using Microsoft.Win32.SafeHandles;
using Strata.Archive;
using Strata.Rootfs;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Execution;
using Strata.Images.Layers;
using Strata.Snapshots;

namespace Strata.Containers;

/// <summary>
/// <c>cp</c> and <c>export</c>: the container's root filesystem as it sees it (its mount while it
/// runs, a temporary mount of its snapshot otherwise). Paths inside the container resolve
/// through <see cref="ConfinedRoot"/>, so a link planted in the container never leads out of it.
/// </summary>
public sealed partial class ContainerManager
{
    /// <summary>docker's <c>cp CONTAINER:SRC DST</c>: a file, link or whole directory onto the host.</summary>
    public Task CopyFromAsync(ContainerState container, string source, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        return WithRootAsync(container, root =>
        {
            using var confined = ConfinedRoot.Open(root, $"container {container.Name}");
            using var handle = confined.TryOpenPath(source, followFinal: false)
                ?? throw new NotFoundException($"Could not find the file {source} in container {container.Name}");
            var target = Directory.Exists(destination) ? Path.Combine(destination, BaseName(source)) : destination;
            var parent = Path.GetDirectoryName(Path.GetFullPath(target));
            if (parent is not null && !Directory.Exists(parent)) throw new NotFoundException($"destination directory {parent} does not exist");
            CopyOut(confined, handle, target, cancellationToken);
            return Task.CompletedTask;
        }, cancellationToken, live: true);
    }

    /// <summary>docker's <c>cp SRC CONTAINER:DST</c>: a host file, link or directory into the container.</summary>
    public Task CopyToAsync(ContainerState container, string source, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Path.Exists(source)) throw new NotFoundException($"no such file or directory: {source}");
        return WithRootAsync(container, root =>
        {
            using var confined = ConfinedRoot.Open(root, $"container {container.Name}");
            SafeFileHandle? parent;
            string name;
            var existing = confined.TryOpenPath(destination, followFinal: true);
            if (existing is not null && ConfinedRoot.IsDirectory(existing))
            {
                (parent, name) = (existing, BaseName(source));
            }
            else
            {
                existing?.Dispose();
                var dir = destination.TrimEnd('/');
                int slash = dir.LastIndexOf('/');
                var parentPath = slash <= 0 ? "/" : dir[..slash];
                name = dir[(slash + 1)..];
                if (name.Length == 0 || name is "." or "..") throw new InvalidArgumentException($"invalid destination {destination} in container {container.Name}");
                parent = confined.TryOpenPath(parentPath, followFinal: true);
                if (parent is null || !ConfinedRoot.IsDirectory(parent))
                    throw new NotFoundException($"Could not find the file {parentPath} in container {container.Name}");
            }
            using (parent)
                CopyIn(confined, Path.GetFullPath(source), parent, name, cancellationToken);
            return Task.CompletedTask;
        }, cancellationToken, live: true);
    }

    /// <summary>docker's <c>export</c>: the container's flattened root filesystem as an uncompressed tar.</summary>
    public Task ExportAsync(ContainerState container, Stream destination, CancellationToken cancellationToken) =>
        ExportAsync(container, destination, null, cancellationToken);

    /// <param name="progress">Told the content bytes written (item: the container's short ID, of the root filesystem's size); null: nobody watches.</param>
    public Task ExportAsync(ContainerState container, Stream destination, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        return WithRootAsync(container, root =>
            LayerWriter.WriteTreeAsync(root, destination, LayerWriteOptions.Default with { Compression = LayerCompression.None, Progress = Watch(progress, container, root) }, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// What tells <paramref name="progress"/> the bytes a layer writer has written of the tree at
    /// <paramref name="root"/> (walked for its size first, only when someone watches), under the container's short ID.
    /// </summary>
    private static InlineProgress<long>? Watch(IProgress<ByteProgress>? progress, ContainerState container, string root)
    {
        if (progress is null) return null;
        var item = ShortId(container);
        long total = LayerIngest.ContentSizeOf(root);
        progress.Report(new ByteProgress(item, 0, total));
        return new InlineProgress<long>(done => progress.Report(new ByteProgress(item, done, total)));
    }

    /// <summary>The container's ID as <c>ps</c> shows it: the item its progress is reported under.</summary>
    public static string ShortId(ContainerState container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.Id.Length > 12 ? container.Id[..12] : container.Id;
    }

    /// <param name="live">For a running container, use its own view (<c>/proc/PID/root</c>: its bind mounts
    /// included, and still there when the host-side mount was lost), as docker's cp does.</param>
    private async Task WithRootAsync(ContainerState container, Func<string, Task> action, CancellationToken cancellationToken, bool live = false)
    {
        if (live && container.Status == ContainerStatus.Running && container.Init is { IsAlive: true } init)
        {
            await action($"/proc/{init.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/root").ConfigureAwait(false);
            return;
        }
        if (container.Status == ContainerStatus.Running && container.MountPath is { } mounted && IsMountPoint(mounted))
        {
            await action(mounted).ConfigureAwait(false);
            return;
        }
        var mounts = await Snapshotter.MountsAsync(container.SnapshotKey, cancellationToken).ConfigureAwait(false);
        // In this process's own directory, as the workspace's mounts: one a killed process left is then told apart.
        await using var mount = await MountHelper.MountTemporaryAsync(mounts, SnapshotWorkspace.MountDirectoryOf(_store.Layout.Root, OwnerProcess.Current), cancellationToken).ConfigureAwait(false);
        await action(mount.Target).ConfigureAwait(false);
    }

    private static bool IsMountPoint(string path) =>
        Libc.TryLstat(path, out var self) && Libc.TryLstat(Path.Combine(path, ".."), out var parent)
        && (self.DeviceMajor != parent.DeviceMajor || self.DeviceMinor != parent.DeviceMinor);

    private static void CopyOut(ConfinedRoot root, SafeFileHandle handle, string target, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        uint mode = ConfinedRoot.Mode(handle);
        var permissions = (UnixFileMode)(mode & 0xFFF);
        switch (mode & 0xF000)
        {
            case 0x4000:
                Directory.CreateDirectory(target);
                foreach (var name in ConfinedRoot.List(handle))
                {
                    using var child = root.TryOpenChild(handle, name);
                    if (child is not null) CopyOut(root, child, Path.Combine(target, name), ct);
                }
                File.SetUnixFileMode(target, permissions);
                break;
            case 0x8000:
                if (File.Exists(target) || Directory.Exists(target)) File.Delete(target);
                using (var input = ConfinedRoot.OpenRead(handle))
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    input.CopyTo(output);
                File.SetUnixFileMode(target, permissions);
                break;
            case 0xA000:
                if (File.Exists(target)) File.Delete(target);
                File.CreateSymbolicLink(target, ConfinedRoot.ReadLink(handle));
                break;
            default:
                // Devices, fifos and sockets are not copied (nor does docker cp without an archive).
                break;
        }
    }

    private static void CopyIn(ConfinedRoot root, string source, SafeFileHandle parent, string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var info = new FileInfo(source);
        if (info.LinkTarget is { } link)
        {
            root.CreateSymlink(parent, name, link);
        }
        else if (Directory.Exists(source))
        {
            using var dir = root.CreateDirectory(parent, name, File.GetUnixFileMode(source));
            foreach (var entry in Directory.EnumerateFileSystemEntries(source))
                CopyIn(root, entry, dir, Path.GetFileName(entry), ct);
        }
        else
        {
            using var input = File.OpenRead(source);
            using var output = root.Create(parent, name, File.GetUnixFileMode(source));
            input.CopyTo(output);
        }
    }

    private static string BaseName(string path)
    {
        var trimmed = path.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? "root" : name;
    }
}
