using Strata.Core.Unix;

namespace Strata.Images;

/// <summary>Replaces a small file so readers see the old or the new bytes, never a mix, even after a crash.</summary>
internal static class AtomicFile
{
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            Libc.FsyncDirectory(dir);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
