using Strata.Core.Unix;

namespace Strata.Snapshots.Files;

/// <summary>Measures a directory tree the way <c>du</c> does: allocated blocks, each inode once.</summary>
internal static class DiskUsage
{
    public static SnapshotUsage Measure(string root, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(long, long, long)>();
        long bytes = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        void Count(string path, in FileStatus status)
        {
            if (seen.Add((status.DeviceMajor, status.DeviceMinor, status.Inode))) bytes += status.AllocatedBytes;
        }
        var rootStatus = Libc.Lstat(root);
        Count(root, rootStatus);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (string entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                var status = Libc.Lstat(entry);
                Count(entry, status);
                if (status.IsDirectory) pending.Push(entry);
            }
        }
        return new SnapshotUsage(bytes, seen.Count);
    }
}
