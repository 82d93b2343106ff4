using Strata.Archive.Compression;
using Strata.Archive.IO;
using Strata.Archive.Writing;
using Strata.Core;

namespace Strata.Archive;

/// <summary>
/// Writes layers: deterministic tar (sorted entries, numeric owners, whole-second mtimes, PAX
/// only when needed) compressed on the fly, with diffID and digest computed in the same pass.
/// The same tree gives the same bytes on any machine. Memory stays bounded (a few MiB of
/// buffers) whatever the layer size.
/// </summary>
public sealed class LayerWriter
{
    private LayerWriter() { }

    /// <summary>Every entry under <paramref name="root"/> as an addition (importing a rootfs,
    /// or a layer from a copying snapshotter). The root itself is not an entry.</summary>
    public static Task<LayerWriteResult> WriteTreeAsync(string root, Stream destination, LayerWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        return WriteAsync(destination, options, (w, ct) => new TreeWalker(w, overlay: false).Walk(root, ct), cancellationToken);
    }

    /// <summary>An overlayfs upper dir as a layer: a 0/0 character device becomes <c>.wh.NAME</c>,
    /// an opaque directory (trusted.overlay.opaque or user.overlay.opaque = "y") gets
    /// <c>.wh..wh..opq</c>, and overlay's private xattrs are dropped.</summary>
    public static Task<LayerWriteResult> WriteOverlayUpperAsync(string upperDir, Stream destination, LayerWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upperDir);
        return WriteAsync(destination, options, (w, ct) => new TreeWalker(w, overlay: true).Walk(upperDir, ct), cancellationToken);
    }

    /// <summary>The changes that turn <paramref name="lowerDir"/> into <paramref name="upperDir"/>
    /// (two complete trees): added and changed entries, deletions as whiteouts.</summary>
    public static Task<LayerWriteResult> WriteDiffAsync(string lowerDir, string upperDir, Stream destination, LayerWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lowerDir);
        ArgumentNullException.ThrowIfNull(upperDir);
        return WriteAsync(destination, options, (w, ct) => new DiffWalker(w).Walk(lowerDir, upperDir, ct), cancellationToken);
    }

    private static Task<LayerWriteResult> WriteAsync(Stream destination, LayerWriteOptions options, Action<FsTarWriter, CancellationToken> produce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        // The walk is a long run of blocking syscalls; it gets a thread of its own rather than
        // pretending to be asynchronous.
        return Task.Factory.StartNew(() => Write(destination, options, produce, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static LayerWriteResult Write(Stream destination, LayerWriteOptions options, Action<FsTarWriter, CancellationToken> produce, CancellationToken cancellationToken)
    {
        // A content store ingest hashes what it is given: hashing the blob here too would cost a
        // second sha256 pass over every compressed byte.
        var digesting = destination is ISha256Sink d && d.BytesWritten == 0 ? d : null;
        using var blob = new HashingWriteStream(destination, leaveOpen: true, hash: digesting is null);
        // gzip chunks and parallelises itself; zstd gets the tar on a second thread through a pipe.
        using var gzip = options.Compression == LayerCompression.Gzip ? new ParallelGzipStream(blob, options.GzipLevel, options.CompressInParallel) : null;
        Stream? zstd = options.Compression switch
        {
            LayerCompression.None or LayerCompression.Gzip => null,
            LayerCompression.Zstd => new ZstdSharp.CompressionStream(blob, level: options.ZstdLevel, leaveOpen: true),
            _ => throw new InvalidArgumentException($"unknown layer compression {options.Compression}"),
        };
        bool completed = false;
        try
        {
            PipelineStream? pipe = zstd is not null ? new PipelineStream(zstd, options.CompressInParallel) : null;
            try
            {
                // Uncompressed, the blob is the tar: one sha256 is both its digest and its diff ID
                // (a second pass cost 0.3 s on a 512 MiB layer).
                bool tarIsBlob = options.Compression == LayerCompression.None;
                using var tar = new HashingWriteStream(pipe ?? gzip ?? (Stream)blob, leaveOpen: true, hash: !tarIsBlob);
                var writer = new FsTarWriter(tar, options.SourceDateEpoch, options.Progress);
                produce(writer, cancellationToken);
                writer.WriteEnd();
                pipe?.Complete();
                zstd?.Dispose(); // writes the zstd frame end
                gzip?.Complete(); // writes the gzip trailer
                completed = true;
                blob.Flush();
                var digest = digesting?.CurrentDigest() ?? blob.GetDigest();
                var diffId = tarIsBlob ? new DiffId(digest) : new DiffId(tar.GetDigest());
                string mediaType = options.Compression switch
                {
                    LayerCompression.Gzip => MediaTypes.OciLayerGzip,
                    LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                    _ => MediaTypes.OciLayer,
                };
                return new LayerWriteResult(diffId, digest, blob.BytesWritten, tar.BytesWritten, mediaType) { ContentSize = writer.ContentSize };
            }
            finally
            {
                pipe?.Dispose();
            }
        }
        finally
        {
            if (!completed) DisposeAfterFailure(zstd);
        }
    }

    // On failure the compressor's trailer would go to a destination that may be the cause of
    // the failure; its error must not hide the first one.
    private static void DisposeAfterFailure(Stream? compressor)
    {
        try
        {
            compressor?.Dispose();
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
