using System.IO.Compression;
using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests;

/// <summary>Hostile layers: each must fail with an error naming the layer and the entry, and
/// leave the sentinel directory beside the root exactly as it was.</summary>
public sealed class EscapingArchiveTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _root;
    private readonly string _sentinel;

    public EscapingArchiveTests()
    {
        _root = _temp.NewDir("root");
        var sentinel = new TreeBuilder(_temp.PathOf("sentinel")).File("file", "precious").Dir("sub").File("sub/f", "also").Finish();
        _sentinel = sentinel.Root;
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Case name -> layers applied in order (the last one must fail) and the entry the error must name.</summary>
    private static readonly Dictionary<string, (Func<byte[]>[] Layers, string Entry)> Cases = new()
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

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_layer_fails_naming_layer_and_entry_and_leaves_the_sentinel_untouched(string caseName)
    {
        var before = TreeManifest.Capture(_sentinel, includeMtime: true);
        var (layers, entry) = Cases[caseName];
        for (int i = 0; i < layers.Length - 1; i++) await Layers.ApplyAsync(layers[i](), _root, $"lower{i}");

        var error = await Assert.ThrowsAsync<LayerSecurityException>(() =>
            Layers.ApplyAsync(layers[^1](), _root, "sha256:hostile", new LayerApplyOptions { MaxUncompressedBytes = 8 << 20 }));

        Assert.StartsWith($"layer sha256:hostile: entry \"{entry}\": ", error.Message);
        Assert.Equal(Strata.Core.ErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(before, TreeManifest.Capture(_sentinel, includeMtime: true));
        Assert.False(File.Exists(Path.Combine(_temp.Root, "pwned")));
    }

    [Fact]
    public async Task An_escaping_entry_is_named_with_its_index_in_the_archive()
    {
        // Extension headers (a GNU long name, a PAX record) are not entries of their own; the
        // same name twice is told apart by its index.
        var tar = new TarBuilder().Dir("a").GnuFile("a/" + new string('n', 150)).File("a/" + new string('p', 200)).Symlink("link", "../sentinel")
            .File("link/ok-inside-link-dir-is-not-reached").Build();

        var error = await Assert.ThrowsAsync<LayerSecurityException>(() => Layers.ApplyAsync(tar, _root, "sha256:hostile"));

        Assert.Equal("layer sha256:hostile: entry \"link/ok-inside-link-dir-is-not-reached\": a parent symlink leads outside the root (archive entry #5)", error.Message);
        Assert.Equal(5, error.EntryIndex);
        Assert.Equal("link/ok-inside-link-dir-is-not-reached", error.EntryName);
        var twice = new TarBuilder().File("x", "one").File("x", "two").Hardlink("x", "../sentinel/file").Build();
        var second = await Assert.ThrowsAsync<LayerSecurityException>(() => Layers.ApplyAsync(twice, _temp.NewDir("twice"), "sha256:twice"));
        Assert.Equal("layer sha256:twice: entry \"x\": hardlink target \"../sentinel/file\" is outside the root (archive entry #3)", second.Message);
    }

    [Fact]
    public async Task Absolute_names_land_inside_the_root()
    {
        var before = TreeManifest.Capture(_sentinel, includeMtime: true);
        await Layers.ApplyAsync(new TarBuilder().File(_sentinel + "/file", "inside").File("/abs", "a").Build(), _root);
        Assert.Equal("inside", await File.ReadAllTextAsync(_root + _sentinel + "/file"));
        Assert.True(File.Exists(Path.Combine(_root, "abs")));
        Assert.Equal(before, TreeManifest.Capture(_sentinel, includeMtime: true));
    }

    [Fact]
    public async Task An_absolute_symlink_parent_is_followed_from_the_root_not_the_host()
    {
        var before = TreeManifest.Capture(_sentinel, includeMtime: true);
        await Layers.ApplyAsync(new TarBuilder().Symlink("link", _sentinel).File("link/file", "confined").Build(), _root);
        Assert.Equal("confined", await File.ReadAllTextAsync(_root + _sentinel + "/file"));
        Assert.Equal(before, TreeManifest.Capture(_sentinel, includeMtime: true));
    }

    [Fact]
    public async Task A_symlink_parent_that_stays_inside_the_root_is_followed()
    {
        await Layers.ApplyAsync(new TarBuilder().Dir("usr").Dir("usr/lib").Symlink("lib", "usr/lib").File("lib/libc.so", "c").Build(), _root);
        Assert.Equal("c", await File.ReadAllTextAsync(Path.Combine(_root, "usr/lib/libc.so")));
    }

    /// <summary>64 MiB of zeros in one entry: about 64 KiB of gzip, far past the 8 MiB cap used above.</summary>
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
