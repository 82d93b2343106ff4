using Strata.Archive.Compression;
using Strata.Archive.IO;
using Strata.Core;

namespace Strata.Archive;

/// <summary>
/// Turns an uncompressed layer tar into its gzip or zstd variant, in one pass that also hashes
/// the tar (its diff ID) and the output (the variant's digest). The same compressors as
/// <see cref="LayerWriter"/>: gzip in 1 MiB chunks on every core, zstd on a second thread; the
/// output depends only on the input, the compression and the level.
/// </summary>
public static class LayerCompressor
{
    /// <summary>The default level of <paramref name="compression"/> when exporting: gzip 6 (docker push's), zstd 3.</summary>
    public static int DefaultLevel(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => 6,
        LayerCompression.Zstd => 3,
        _ => 0,
    };

    /// <summary>The media type of a layer compressed with <paramref name="compression"/>.</summary>
    public static string MediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        _ => MediaTypes.OciLayer,
    };

    /// <summary>
    /// Reads <paramref name="tar"/> to its end and writes it compressed to <paramref name="destination"/>
    /// (not disposed). The result's <see cref="LayerWriteResult.DiffId"/> is the tar's sha256.
    /// </summary>
    public static Task<LayerWriteResult> CompressAsync(Stream tar, Stream destination, LayerCompression compression, int level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(destination);
        if (compression == LayerCompression.None) throw new InvalidArgumentException("a layer is compressed with gzip or zstd");
        if (compression == LayerCompression.Gzip && level is < 0 or > 9) throw new InvalidArgumentException($"gzip compression level {level} is out of range 0-9");
        if (compression == LayerCompression.Zstd && level is < 1 or > 22) throw new InvalidArgumentException($"zstd compression level {level} is out of range 1-22");
        // Reading and compressing are long runs of blocking work: a thread of their own.
        return Task.Factory.StartNew(() => Compress(tar, destination, compression, level, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static LayerWriteResult Compress(Stream tar, Stream destination, LayerCompression compression, int level, CancellationToken cancellationToken)
    {
        // A content store ingest hashes what it is given: no second sha256 pass here.
        var digesting = destination is ISha256Sink d && d.BytesWritten == 0 ? d : null;
        using var blob = new HashingWriteStream(destination, leaveOpen: true, hash: digesting is null);
        using var gzip = compression == LayerCompression.Gzip ? new ParallelGzipStream(blob, level, parallel: true) : null;
        using var zstd = compression == LayerCompression.Zstd ? new ZstdSharp.CompressionStream(blob, level: level, leaveOpen: true) : null;
        using var pipe = zstd is not null ? new PipelineStream(zstd, parallel: true) : null;
        using var input = new HashingWriteStream(pipe ?? gzip ?? (Stream)blob, leaveOpen: true);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = tar.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            input.Write(buffer, 0, n);
        }
        pipe?.Complete();
        zstd?.Flush();
        zstd?.Dispose(); // writes the zstd frame end
        gzip?.Complete(); // writes the gzip trailer
        blob.Flush();
        var digest = digesting?.CurrentDigest() ?? blob.GetDigest();
        return new LayerWriteResult(new DiffId(input.GetDigest()), digest, blob.BytesWritten, input.BytesWritten, MediaType(compression));
    }
}
