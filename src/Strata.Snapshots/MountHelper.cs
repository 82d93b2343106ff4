using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Mounting;

namespace Strata.Snapshots;

/// <summary>
/// Mounts the <see cref="MountSpec"/> lists snapshotters return, and unmounts them. Needs
/// CAP_SYS_ADMIN in the current mount namespace. Understands "bind" (with "rbind", "ro") and
/// "overlay" (any data options; lowerdir made relative when the string would exceed a page, see
/// <c>OverlayOptions</c>); "ro", "nosuid", "nodev" and "noexec" are flags for every type. A
/// fuse-overlayfs mount runs its program (<c>FuseMount</c>); umount2 ends it like any other.
/// </summary>
public static class MountHelper
{
    /// <summary>Mounts every spec, in order, on <paramref name="target"/> (an existing directory). On failure, what was mounted is unmounted again.</summary>
    public static Task MountAllAsync(IReadOnlyList<MountSpec> mounts, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(target);
        return Task.Run(async () =>
        {
            int done = 0;
            try
            {
                foreach (var mount in mounts)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await MountOneAsync(mount, target).ConfigureAwait(false);
                    done++;
                }
            }
            catch
            {
                for (; done > 0; done--) UnmountOnce(target, Libc.MntDetach);
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Unmounts everything stacked on <paramref name="target"/>. A target that is not a mount
    /// point is fine (so cleanup can always call it). A busy mount is retried for about a
    /// second, then detached lazily so a crashed reader cannot pin the snapshot forever.
    /// </summary>
    public static Task UnmountAllAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Task.Run(async () =>
        {
            for (int busy = 0; ;)
            {
                try
                {
                    if (!UnmountOnce(target, 0)) return;
                }
                catch (UnixException e) when (e.Errno == Libc.Ebusy)
                {
                    if (++busy < 20)
                    {
                        await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                        continue;
                    }
                    if (!UnmountOnce(target, Libc.MntDetach)) return;
                }
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Makes a fresh directory under <paramref name="parentDirectory"/> (default: the temp
    /// directory), mounts <paramref name="mounts"/> there and returns it; disposing unmounts
    /// and removes the directory.
    /// </summary>
    public static async Task<TemporaryMount> MountTemporaryAsync(IReadOnlyList<MountSpec> mounts, string? parentDirectory, CancellationToken cancellationToken)
    {
        string target = Path.Combine(parentDirectory ?? Path.GetTempPath(), "strata-mount-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(target);
        try
        {
            await MountAllAsync(mounts, target, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Directory.Delete(target);
            throw;
        }
        return new TemporaryMount(target);
    }

    /// <summary>One umount2; false when the target is not (or no longer) a mount point.</summary>
    private static bool UnmountOnce(string target, int flags)
    {
        try
        {
            Libc.Umount2(target, flags);
            return true;
        }
        catch (UnixException e) when (e.Errno is Libc.Einval or Libc.Enoent)
        {
            return false;
        }
    }

    private static Task MountOneAsync(MountSpec mount, string target)
    {
        if (mount.Type == OverlaySnapshotter.FuseMountType) return FuseMount.MountAsync(mount, target);
        var parsed = MountFlags.Parse(mount);
        if (parsed.Bind)
        {
            Libc.Mount(mount.Source, target, null, parsed.Flags & (Libc.MsBind | Libc.MsRec), null);
            // A bind mount ignores MS_RDONLY and the other per-mount flags on creation; they
            // take effect only through a remount of the new mount.
            ulong extra = parsed.Flags & (Libc.MsRdonly | Libc.MsNosuid | Libc.MsNodev | Libc.MsNoexec);
            if (extra != 0)
            {
                try
                {
                    Libc.Mount(null, target, null, Libc.MsRemount | Libc.MsBind | extra, null);
                }
                catch
                {
                    UnmountOnce(target, Libc.MntDetach);
                    throw;
                }
            }
            return Task.CompletedTask;
        }
        var (data, workingDirectory) = OverlayOptions.Fit(parsed.Data, Environment.SystemPageSize);
        if (data.Length >= Environment.SystemPageSize)
            throw new InvalidArgumentException($"mount options for {target} are {data.Length} bytes even with relative lower paths, over the {Environment.SystemPageSize}-byte limit");
        if (workingDirectory is null)
        {
            Libc.Mount(mount.Source, target, mount.Type, parsed.Flags, data.Length == 0 ? null : data);
            return Task.CompletedTask;
        }
        return MountFromDirectoryAsync(mount.Source, target, mount.Type, parsed.Flags, data, workingDirectory);
    }

    /// <summary>
    /// mount(2) from a dedicated thread whose working directory is <paramref name="directory"/>:
    /// the thread unshares its fs context first, so the chdir is invisible to every other
    /// thread, and the context dies with the thread.
    /// </summary>
    private static Task MountFromDirectoryAsync(string source, string target, string type, ulong flags, string data, string directory)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Libc.Unshare(Libc.CloneFs);
                Libc.Chdir(directory);
                Libc.Mount(source, target, type, flags, data);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "strata-mount",
        };
        thread.Start();
        return done.Task;
    }
}
