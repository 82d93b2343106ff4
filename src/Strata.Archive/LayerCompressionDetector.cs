using System.IO.Compression;
using Strata.Archive.IO;

namespace Strata.Archive;

/// <summary>Recognises a layer's compression from its first bytes, as containerd and docker do,
/// so callers need not trust a media type.</summary>
public static class LayerCompressionDetector
{
    /// <summary>The compression of a stream starting with <paramref name="magic"/> (at least 4 bytes for certainty).</summary>
    public static LayerCompression Detect(ReadOnlySpan<byte> magic)
    {
        if (magic.Length >= 3 && magic[0] == 0x1F && magic[1] == 0x8B && magic[2] == 0x08) return LayerCompression.Gzip;
        if (magic.Length >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD) return LayerCompression.Zstd;
        return LayerCompression.None;
    }

    /// <summary>A stream of the uncompressed tar: gzip and zstd are recognised by their magic,
    /// anything else is passed through as plain tar. Disposing it disposes <paramref name="s"/>.</summary>
    public static Stream OpenDecompressed(Stream s) => OpenDecompressed(s, leaveOpen: false);

    /// <summary>As <see cref="OpenDecompressed(Stream)"/>; with <paramref name="leaveOpen"/> the
    /// caller keeps ownership of <paramref name="s"/>.</summary>
    public static Stream OpenDecompressed(Stream s, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(s);
        byte[] magic = new byte[4];
        int n = s.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        var whole = new PrefixedStream(magic[..n], s, leaveOpen);
        return Detect(magic.AsSpan(0, n)) switch
        {
            LayerCompression.Gzip => new GZipStream(whole, CompressionMode.Decompress),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(whole),
            _ => whole,
        };
    }
}
