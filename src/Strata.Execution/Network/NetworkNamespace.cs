using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Execution.Network;

/// <summary>
/// A network namespace kept alive by a bind mount on a file (as <c>ip netns add</c> keeps one),
/// with no process in it: slirp4netns is pointed at the file before the container exists, so
/// the network is up before the container's first instruction, and the runtime joins it by path.
/// </summary>
internal static class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>
    /// Creates a new network namespace and bind-mounts it on <paramref name="path"/> (created
    /// empty). unshare(2) is per thread, so a thread of its own enters the namespace, pins it and
    /// ends; no other thread ever runs in it. Needs CAP_SYS_ADMIN (root, or root of a rootless
    /// strata's user namespace, which then owns the new namespace).
    /// </summary>
    /// <exception cref="ContainerStartException">The kernel refused the namespace or the mount.</exception>
    public static Task CreateAsync(string path)
    {
        using (File.Create(path)) { }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Libc.Unshare(CloneNewNet);
                Libc.Mount("/proc/thread-self/ns/net", path, null, Libc.MsBind, null);
                done.SetResult();
            }
            catch (UnixException e)
            {
                done.SetException(new ContainerStartException($"cannot make the container's network namespace: {e.Message}"));
            }
        })
        {
            IsBackground = true,
            Name = "strata-netns",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Unmounts and deletes <paramref name="path"/>; the namespace goes with its last user. Idempotent, never throws.</summary>
    public static void Remove(string path)
    {
        try
        {
            if (!File.Exists(path)) return;
            try { Libc.Umount2(path, Libc.MntDetach); }
            catch (UnixException) { /* not mounted (a crash between create and mount) */ }
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
