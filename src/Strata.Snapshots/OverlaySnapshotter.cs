using System.Runtime.CompilerServices;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Files;
using Strata.Snapshots.Metadata;
using Strata.Snapshots.Mounting;

namespace Strata.Snapshots;

/// <summary>
/// Snapshots as overlayfs layers. Each snapshot directory holds <c>fs/</c> (the layer: for an
/// active snapshot overlay's upperdir, for a committed one an immutable layer in overlay format,
/// whiteouts as 0/0 character devices and opaque directories marked
/// <c>trusted.overlay.opaque=y</c>) and, while active, <c>work/</c> (overlay's workdir).
/// <para>Mounts:</para>
/// <list type="bullet">
/// <item>active on nothing: a read-write bind of <c>fs/</c> (no overlay needed);</item>
/// <item>active on a parent: overlay with lowerdir = the parent chain's <c>fs/</c>, top first,
/// upperdir = <c>fs/</c>, workdir = <c>work/</c>;</item>
/// <item>view of nothing, or of a one-layer chain: a read-only bind (of its own empty
/// <c>fs/</c>, or of the parent's);</item>
/// <item>view of a longer chain: a read-only overlay of lowers only.</item>
/// </list>
/// Every overlay is mounted with index, redirect_dir and metacopy off, whatever the kernel's
/// defaults: with them on, the upper directory could hold redirects and metadata-only copies
/// that are not a self-contained layer. Lower paths are absolute; <see cref="MountHelper"/>
/// shortens them when 128+ layers would exceed the one-page option limit.
/// </summary>
public sealed class OverlaySnapshotter : StoreBackedSnapshotter
{
    /// <summary>
    /// Options that keep the upper directory a plain, self-contained layer. Inside a rootless
    /// user namespace the kernel refuses trusted.* xattrs, so overlay is mounted with
    /// <c>userxattr</c> (opaque directories then carry <c>user.overlay.opaque</c>, which the layer
    /// writer reads too), and userxattr refuses to follow redirects, hence <c>nofollow</c>.
    /// </summary>
    internal static readonly string[] FormatOptions = UserNamespace.IsNested
        ? ["userxattr", "index=off", "redirect_dir=nofollow", "metacopy=off"]
        : ["index=off", "redirect_dir=off", "metacopy=off"];

    private readonly string? _mountProgram;

    /// <summary>A snapshotter over <paramref name="root"/> (created if missing). Does not check that overlay works: see <see cref="OverlaySupport"/>.</summary>
    public OverlaySnapshotter(string root, SnapshotterOptions? options = null)
        : this(root, options, null)
    {
    }

    /// <summary>
    /// With <paramref name="mountProgram"/> (fuse-overlayfs, podman's <c>mount_program</c>), the
    /// same layout mounted by that program instead of the kernel, for kernels that refuse overlay
    /// in a user namespace: mounts are <see cref="FuseMountType"/> with the program as source.
    /// </summary>
    public OverlaySnapshotter(string root, SnapshotterOptions? options, string? mountProgram)
        : base(root, options) => _mountProgram = mountProgram;

    /// <summary>The mount type of a fuse-overlayfs mount (as containerd's fuse-overlayfs snapshotter names it); its source is the program.</summary>
    public const string FuseMountType = "fuse3.fuse-overlayfs";

    public override string Name => _mountProgram is null ? "overlay" : "fuse-overlayfs";

    public override bool UpperDirectoryIsDiff => true;

    public override async Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        await SyncChainAsync(parent, cancellationToken).ConfigureAwait(false);
        return await PrepareAsync(key, parent, unsynced: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Volatile with the kernel's overlay (5.10+) on a known boot; fuse-overlayfs keeps its own sync behaviour.</summary>
    public override Task<IReadOnlyList<MountSpec>> PrepareUnsyncedAsync(string key, string? parent, CancellationToken cancellationToken) =>
        PrepareAsync(key, parent, unsynced: _mountProgram is null && VolatileSupported && Store.BootId.Length > 0, cancellationToken);

    private async Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, bool unsynced, CancellationToken cancellationToken)
    {
        var (record, chain) = await Store.CreateAsync(key, parent, SnapshotKind.Active, (dir, _) =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "fs"));
            Directory.CreateDirectory(Path.Combine(dir, "work"));
        }, unsynced, cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    private static readonly bool VolatileSupported = Environment.OSVersion.Version >= new Version(5, 10);

    /// <summary>
    /// A durable snapshot must not sit on layers a reboot would drop: when the chain under it
    /// was written unsynced, the filesystem is synced (what overlay's unmount would have done)
    /// and the chain is marked durable.
    /// </summary>
    private async Task SyncChainAsync(string? parent, CancellationToken cancellationToken)
    {
        if (parent is null) return;
        var table = Store.Read();
        if (table.Find(parent) is null) return; // the create below says what is wrong
        var unsynced = table.ChainOf(parent).Where(r => r.WrittenUnsynced()).Select(r => r.Key).ToList();
        if (unsynced.Count == 0) return;
        await Task.Run(() => Libc.Syncfs(Store.Root), cancellationToken).ConfigureAwait(false);
        await Store.MarkSyncedAsync(unsynced, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        var (record, chain) = await Store.CreateAsync(key, parent, SnapshotKind.View,
            (dir, _) => Directory.CreateDirectory(Path.Combine(dir, "fs")), cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    public override async Task CommitAsync(string name, string key, CancellationToken cancellationToken)
    {
        var committed = await Store.CommitAsync(name, key, cancellationToken).ConfigureAwait(false);
        // After the metadata says committed, so a crash here leaves only an unused work dir.
        Tree.Delete(Path.Combine(Store.DirectoryOf(committed), "work"));
    }

    /// <summary>For fuse-overlayfs, the upper directory in kernel overlay's format first (see <see cref="FuseUpperFormat"/>).</summary>
    public override string UpperDirectory(string key)
    {
        string upper = base.UpperDirectory(key);
        if (_mountProgram is null) return upper;
        var table = Store.Read();
        var record = SnapshotStore.Get(table, key);
        FuseUpperFormat.Normalize(upper, [.. table.ChainOf(record.Parent).Select(c => Path.Combine(Store.DirectoryOf(c), "fs"))]);
        return upper;
    }

    private protected override IReadOnlyList<MountSpec> MountsOf(SnapshotRecord record, List<SnapshotRecord> chain)
    {
        if (_mountProgram is not null) return FuseMountsOf(record, chain, _mountProgram);
        string dir = Store.DirectoryOf(record);
        string fs = Path.Combine(dir, "fs");
        var lowers = chain.Select(c => Path.Combine(Store.DirectoryOf(c), "fs")).ToList();
        if (record.Kind == SnapshotKind.Active)
        {
            if (lowers.Count == 0) return [new MountSpec("bind", fs, ["rbind", "rw"])];
            // A commit interrupted by a crash may have deleted work/ already; overlay needs it.
            string work = Path.Combine(dir, "work");
            Directory.CreateDirectory(work);
            List<string> options = [$"workdir={work}", $"upperdir={fs}", "lowerdir=" + string.Join(':', lowers), .. FormatOptions];
            // No sync of the upper filesystem on unmount nor of copied-up files (see PrepareUnsyncedAsync).
            if (record.WrittenUnsynced()) options.Add("volatile");
            return [new MountSpec("overlay", "overlay", options)];
        }
        return lowers.Count switch
        {
            0 => [new MountSpec("bind", fs, ["rbind", "ro"])],
            1 => [new MountSpec("bind", lowers[0], ["rbind", "ro"])],
            // Overlay with lowers only is read-only by construction; "ro" says so to the VFS too.
            _ => [new MountSpec("overlay", "overlay", ["ro", "lowerdir=" + string.Join(':', lowers), .. FormatOptions])],
        };
    }

    /// <summary>
    /// fuse-overlayfs takes no kernel format options (it keeps whiteouts as 0/0 devices itself)
    /// and mounts lowers alone read-only; a single lower is still a plain bind, as for the kernel.
    /// </summary>
    private List<MountSpec> FuseMountsOf(SnapshotRecord record, List<SnapshotRecord> chain, string program)
    {
        string dir = Store.DirectoryOf(record);
        string fs = Path.Combine(dir, "fs");
        var lowers = chain.Select(c => Path.Combine(Store.DirectoryOf(c), "fs")).ToList();
        if (record.Kind == SnapshotKind.Active)
        {
            if (lowers.Count == 0) return [new MountSpec("bind", fs, ["rbind", "rw"])];
            string work = Path.Combine(dir, "work");
            Directory.CreateDirectory(work);
            return [new MountSpec(FuseMountType, program, [$"workdir={work}", $"upperdir={fs}", "lowerdir=" + string.Join(':', lowers)])];
        }
        return lowers.Count switch
        {
            0 => [new MountSpec("bind", fs, ["rbind", "ro"])],
            1 => [new MountSpec("bind", lowers[0], ["rbind", "ro"])],
            _ => [new MountSpec(FuseMountType, program, ["lowerdir=" + string.Join(':', lowers)])],
        };
    }
}
