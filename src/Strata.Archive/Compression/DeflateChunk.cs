using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Strata.Archive.IO;

namespace Strata.Archive.Compression;

/// <summary>
/// One chunk of a chunked deflate stream: raw deflate blocks that end byte-aligned and are never
/// final, so chunks compressed independently (no shared window) can be concatenated and closed
/// with one final empty block. The bytes depend only on the chunk's content and the level,
/// never on timing or core count, which keeps layer digests reproducible.
/// </summary>
internal static class DeflateChunk
{
    /// <summary>Bytes looked at to guess whether a chunk compresses at all.</summary>
    internal const int ProbeSize = 64 * 1024;

    private const int MaxStoredBlock = ushort.MaxValue;

    // Sync flush ends with an empty stored block: 00 00 ff ff after the byte-aligned header bits.
    private static ReadOnlySpan<byte> SyncFlushMarker => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>The final empty block that ends the whole stream: BFINAL=1, fixed Huffman, end-of-block.</summary>
    internal static ReadOnlySpan<byte> FinalEmptyBlock => [0x03, 0x00];

    /// <summary>Encodes <paramref name="input"/>; the result is a pooled array of which the first
    /// <c>Length</c> bytes are the chunk. Level 0, or data that does not compress (already
    /// compressed or random), becomes stored blocks: a copy, no deflate work.</summary>
    public static (byte[] Output, int Length) Encode(ReadOnlySpan<byte> input, int level)
    {
        if (input.IsEmpty) return ([], 0);
        if (level == 0 || LooksIncompressible(input)) return Store(input);
        var compressed = Deflate(input, level, sizeHint: input.Length / 2);
        if (compressed.Length <= StoredSize(input.Length)) return compressed;
        // Rare: the probe was fooled (compressible head, random tail). Stored is never larger.
        ArrayPool<byte>.Shared.Return(compressed.Output);
        return Store(input);
    }

    /// <summary>Size of <paramref name="count"/> bytes as stored blocks (5 bytes of header per 65,535).</summary>
    public static int StoredSize(int count) => count + (5 * ((count + MaxStoredBlock - 1) / MaxStoredBlock));

    private static bool LooksIncompressible(ReadOnlySpan<byte> input)
    {
        if (input.Length < ProbeSize) return false;
        var probe = Deflate(input[..ProbeSize], level: 1, sizeHint: ProbeSize + 1024);
        ArrayPool<byte>.Shared.Return(probe.Output);
        // Saving under 3% is not worth deflating a whole chunk (and inflating it on every pull).
        return probe.Length > ProbeSize - (ProbeSize / 32);
    }

    private static (byte[] Output, int Length) Store(ReadOnlySpan<byte> input)
    {
        var output = ArrayPool<byte>.Shared.Rent(StoredSize(input.Length));
        int at = 0;
        while (!input.IsEmpty)
        {
            int n = Math.Min(input.Length, MaxStoredBlock);
            // BFINAL=0, BTYPE=00 and the padding to the byte boundary: one zero byte.
            output[at] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 1), (ushort)n);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 3), (ushort)~n);
            input[..n].CopyTo(output.AsSpan(at + 5));
            at += 5 + n;
            input = input[n..];
        }
        return (output, at);
    }

    private static (byte[] Output, int Length) Deflate(ReadOnlySpan<byte> input, int level, int sizeHint)
    {
        using var buffer = new PooledBufferStream(sizeHint);
        int length;
        using (var deflate = new DeflateStream(buffer, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            deflate.Write(input);
            // Flush is zlib's Z_SYNC_FLUSH: everything so far, ending byte-aligned and not final.
            deflate.Flush();
            length = buffer.Count;
            // Disposing writes the final block, which is not wanted: only the first `length` bytes count.
        }
        var output = buffer.Detach();
        if (length < SyncFlushMarker.Length || !output.AsSpan(length - SyncFlushMarker.Length, SyncFlushMarker.Length).SequenceEqual(SyncFlushMarker))
        {
            ArrayPool<byte>.Shared.Return(output);
            throw new InvalidOperationException("deflate did not end the chunk with a sync flush.");
        }
        return (output, length);
    }
}
