using System.IO.Compression;

namespace Strata.Archive.Tests.Fixtures;

/// <summary>
/// The table of hostile layers: each escapes its root (or bombs) in one way, and applying it must
/// fail naming the layer and the entry. Used by <c>EscapingArchiveTests</c> on the applier and by
/// the rootless integration tests, which load the same layers as an unprivileged user.
/// Names climbing out aim at <c>../sentinel</c>, a directory beside the root.
/// </summary>
internal static class EscapingLayers
{
    /// <summary>Case name -> layers applied in order (the last one must fail) and the entry the error must name.</summary>
    public static readonly IReadOnlyDictionary<string, (Func<byte[]>[] Layers, string Entry)> Cases = new Dictionary<string, (Func<byte[]>[] Layers, string Entry)>
    {
        ["dot-dot name"] = ([() => new TarBuilder().File("../sentinel/pwned").Build()], "../sentinel/pwned"),
        ["dot-dot inside a name"] = ([() => new TarBuilder().Dir("a").File("a/../../sentinel/file", "overwritten").Build()], "a/../../sentinel/file"),
        ["dot-dot on an absolute name"] = ([() => new TarBuilder().File("/../sentinel/pwned").Build()], "/../sentinel/pwned"),
        ["symlink parent within one layer"] = ([() => new TarBuilder().Symlink("link", "../sentinel").File("link/pwned").Build()], "link/pwned"),
        ["nested symlink parent within one layer"] = ([() => new TarBuilder().Dir("a").Symlink("a/up", "..").Symlink("a/out", "up/../sentinel").File("a/out/file", "overwritten").Build()], "a/out/file"),
        ["symlink parent across layers"] = ([() => new TarBuilder().Symlink("link", "../sentinel").Build(), () => new TarBuilder().File("link/pwned").Build()], "link/pwned"),
        ["directory through a symlink parent"] = ([() => new TarBuilder().Symlink("link", "../sentinel/sub").Dir("link/newdir").Build()], "link/newdir"),
        ["hardlink out by dot-dot"] = ([() => new TarBuilder().Hardlink("h", "../sentinel/file").Build()], "h"),
        ["hardlink to an absolute host path"] = ([() => new TarBuilder().Hardlink("h", "/etc/passwd").Build()], "h"),
        ["hardlink through a symlink parent"] = ([() => new TarBuilder().Symlink("link", "../sentinel").Hardlink("h", "link/file").Build()], "h"),
        ["whiteout of dot"] = ([() => new TarBuilder().Dir("d").RawWhiteout("d/.wh..").Build()], "d/.wh.."),
        ["whiteout of dot-dot"] = ([() => new TarBuilder().Dir("d").RawWhiteout("d/.wh...").Build()], "d/.wh..."),
        ["whiteout under a symlink"] = ([() => new TarBuilder().Symlink("link", "../sentinel").Whiteout("link/file").Build()], "link/.wh.file"),
        ["opaque marker under a symlink"] = ([() => new TarBuilder().Symlink("link", "../sentinel").Opaque("link").Build()], "link/.wh..wh..opq"),
        ["whiteout under a symlink across layers"] = ([() => new TarBuilder().Symlink("link", "../sentinel").Build(), () => new TarBuilder().Whiteout("link/sub").Build()], "link/.wh.sub"),
        ["device with an invalid major"] = ([() => new TarBuilder().CharDevice("dev", 5000, 1).Build()], "dev"),
        ["device with an invalid minor"] = ([() => new TarBuilder().CharDevice("dev", 1, 2_000_000).Build()], "dev"),
        ["gzip bomb"] = ([GzipBomb], "bomb"),
    };

    /// <summary>64 MiB of zeros in one entry: about 64 KiB of gzip, far past the 8 MiB cap EscapingArchiveTests applies with.</summary>
    private static byte[] GzipBomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // A GNU entry has no extension header: its first block is the entry's header. Its
            // size field (octal, 12 bytes at offset 124) is rewritten to 64 MiB and the checksum
            // fixed, so the content never exists in memory.
            var header = new TarBuilder().GnuFile("bomb", "").Build().AsSpan(0, 512).ToArray();
            WriteOctal(header.AsSpan(124, 12), 64L << 20);
            FixChecksum(header);
            gzip.Write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gzip.Write(zeros);
        }
        return output.ToArray();
    }

    private static void WriteOctal(Span<byte> field, long value)
    {
        string s = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        for (int i = 0; i < s.Length; i++) field[i] = (byte)s[i];
        field[^1] = 0;
    }

    private static void FixChecksum(Span<byte> block)
    {
        block.Slice(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block) sum += b;
        WriteOctal(block.Slice(148, 7), sum);
    }
}
