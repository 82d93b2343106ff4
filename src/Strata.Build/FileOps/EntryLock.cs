using Microsoft.Win32.SafeHandles;
using Strata.Core.Unix;

namespace Strata.Build.FileOps;

/// <summary>
/// The exclusive flock a download or git cache entry is used under, waited for by polling (as
/// cache mounts do) while another build or a prune holds it. Two stages of one build open the
/// file separately, so they exclude each other too; nothing takes a second entry's lock while
/// holding one, so nothing deadlocks.
/// </summary>
internal static class EntryLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task<SafeFileHandle> AcquireAsync(string lockPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var handle = Libc.OpenLockFile(lockPath, create: true);
        try
        {
            while (!Libc.TryFlockExclusive(handle, lockPath))
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
