using Strata.Core.Unix;

namespace Strata.Images;

/// <summary>Replaces a small file so readers see the old or the new bytes, never a mix, even after a crash.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// As <see cref="WriteAsync"/>, unless the file holds <paramref name="data"/> already: then
    /// nothing is written (a rebuild that changes no image or name costs no rename and no fsyncs).
    /// </summary>
    public static async Task WriteIfChangedAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            if (new FileInfo(path) is { Exists: true } info && info.Length == data.Length
                && (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(data.Span))
                return;
        }
        catch (IOException)
        {
            // Unreadable: write it afresh.
        }
        await WriteAsync(path, data, cancellationToken).ConfigureAwait(false);
    }

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
