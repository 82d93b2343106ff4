using Strata.Archive.Tests.Fixtures;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Archive.Tests;

public sealed class LayerApplierTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    private static string[] Paths(string root) => TreeManifest.Capture(root).Select(e => e.Path).ToArray();

    [Fact]
    public async Task A_whiteout_deletes_the_lower_file_and_a_whole_lower_directory()
    {
        string root = _temp.NewDir("root");
        await Layers.ApplyAsync(new TarBuilder().Dir("a").File("a/f").File("a/g").Dir("d").File("d/x").Build(), root, "base");
        await Layers.ApplyAsync(new TarBuilder().Whiteout("a/f").Whiteout("d").Build(), root, "top");
        Assert.Equal(["a", "a/g"], Paths(root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_opaque_marker_hides_lower_contents_but_keeps_entries_of_its_own_layer(bool markerFirst)
    {
        string root = _temp.NewDir("root");
        await Layers.ApplyAsync(new TarBuilder().Dir("d").File("d/lower").Dir("d/sub").File("d/sub/lower").Build(), root, "base");
        var top = new TarBuilder().Dir("d");
        if (markerFirst) top.Opaque("d");
        top.Dir("d/sub").File("d/sub/new").File("d/new");
        if (!markerFirst) top.Opaque("d");
        await Layers.ApplyAsync(top.Build(), root, "top");
        Assert.Equal(["d", "d/new", "d/sub", "d/sub/new"], Paths(root));
    }

    [Fact]
    public async Task Setuid_bits_and_file_capabilities_survive_the_owner_change()
    {
        var src = new TreeBuilder(_temp.PathOf("src"))
            .File("ping", "elf", mode: 0xDED /* 06755 */, uid: 1000, gid: 1000)
            .NetRawCapability("ping")
            .Finish();
        var (_, blob) = await Layers.WriteTreeAsync(src.Root);
        string root = _temp.NewDir("root");
        await Layers.ApplyAsync(blob, root);
        var status = Libc.Lstat(Path.Combine(root, "ping"));
        Assert.Equal(0xDEDu, status.Permissions);
        Assert.Equal(1000, status.Uid);
        Assert.Equal(TreeBuilder.CapabilityNetRaw, Libc.Lgetxattr(Path.Combine(root, "ping"), "security.capability"));
    }

    [Fact]
    public async Task A_file_replaces_a_lower_directory_and_a_directory_replaces_a_lower_symlink()
    {
        string root = _temp.NewDir("root");
        string outside = _temp.NewDir("outside");
        await Layers.ApplyAsync(new TarBuilder().Dir("x").File("x/inner").Symlink("y", outside).Build(), root, "base");
        await Layers.ApplyAsync(new TarBuilder().File("x", "now a file").Dir("y").File("y/z").Build(), root, "top");
        Assert.Equal(["x", "y", "y/z"], Paths(root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task The_result_reports_the_diffid_of_the_uncompressed_tar()
    {
        var tar = new TarBuilder().Dir("a").File("a/b", "content").Build();
        string root = _temp.NewDir("root");
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        var result = await Layers.ApplyAsync(gzipped.ToArray(), root);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(tar)), result.DiffId.Digest.Value);
        Assert.Equal(tar.Length, result.UncompressedSize);
        Assert.Equal(2, result.Entries);
    }

    [Fact]
    public async Task A_wrong_expected_diffid_is_reported_as_a_digest_mismatch()
    {
        string root = _temp.NewDir("root");
        var wrong = DiffId.Parse("sha256:" + new string('0', 64));
        await Assert.ThrowsAsync<DigestMismatchException>(() =>
            Layers.ApplyAsync(new TarBuilder().File("f").Build(), root, options: new LayerApplyOptions { ExpectedDiffId = wrong }));
    }

    [Fact]
    public async Task The_blob_digest_and_size_are_verified_as_it_is_read()
    {
        byte[] blob = new TarBuilder().File("f", "content").BuildGzip();
        string digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob));
        var ok = await Layers.ApplyAsync(blob, _temp.NewDir("ok"), options: new LayerApplyOptions { ExpectedDigest = Digest.Parse(digest), ExpectedSize = blob.Length });
        Assert.Equal((digest, (long)blob.Length), (ok.Digest.Value, ok.Size));

        var wrong = Digest.Parse("sha256:" + new string('1', 64));
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() =>
            Layers.ApplyAsync(blob, _temp.NewDir("bad-digest"), "sha256:given", new LayerApplyOptions { ExpectedDigest = wrong }));
        Assert.Contains("layer sha256:given", e.Message);
        await Assert.ThrowsAsync<DigestMismatchException>(() =>
            Layers.ApplyAsync(blob, _temp.NewDir("too-big"), options: new LayerApplyOptions { ExpectedSize = blob.Length - 1 }));
        await Assert.ThrowsAsync<DigestMismatchException>(() =>
            Layers.ApplyAsync(blob, _temp.NewDir("too-small"), options: new LayerApplyOptions { ExpectedSize = blob.Length + 1 }));
    }

    [Fact]
    public async Task Too_many_entries_fail_with_the_cap_in_the_message()
    {
        string root = _temp.NewDir("root");
        var tar = new TarBuilder().File("a").File("b").File("c").Build();
        var e = await Assert.ThrowsAsync<LayerSecurityException>(() =>
            Layers.ApplyAsync(tar, root, "many", new LayerApplyOptions { MaxEntries = 2 }));
        Assert.Contains("layer many: entry \"c\"", e.Message);
        Assert.Contains("more than 2 entries", e.Message);
    }

    [Fact]
    public async Task An_oversized_pax_header_fails_before_it_is_read()
    {
        string root = _temp.NewDir("root");
        var tar = new TarBuilder().File(new string('p', 5000)).Build();
        var e = await Assert.ThrowsAsync<LayerSecurityException>(() =>
            Layers.ApplyAsync(tar, root, "pax", new LayerApplyOptions { MaxHeaderBytes = 1024 }));
        Assert.Contains("layer pax:", e.Message);
        Assert.Contains("exceeds the cap of 1024", e.Message);
    }

    [Fact]
    public async Task Gnu_long_names_are_applied()
    {
        string root = _temp.NewDir("root");
        string name = "d/" + new string('g', 180);
        await Layers.ApplyAsync(new TarBuilder().Dir("d").GnuFile(name, "gnu").Build(), root);
        Assert.Equal("gnu", await File.ReadAllTextAsync(Path.Combine(root, name)));
    }

    [Fact]
    public async Task A_pre_posix_entry_with_a_trailing_slash_is_a_directory()
    {
        string root = _temp.NewDir("root");
        var tar = new TarBuilder()
            .Add(new System.Formats.Tar.V7TarEntry(System.Formats.Tar.TarEntryType.V7RegularFile, "old/") { Mode = (UnixFileMode)0x1ED })
            .Build();
        await Layers.ApplyAsync(tar, root);
        Assert.True(Libc.Lstat(Path.Combine(root, "old")).IsDirectory);
    }

    [Fact]
    public async Task Listing_a_layer_names_whiteouts_and_their_targets()
    {
        var tar = new TarBuilder().Dir("./etc/").Whiteout("etc/passwd").Opaque("var").Symlink("l", "/t").Build();
        var entries = await Layers.EntriesAsync(tar);
        Assert.Equal(
            [("etc", LayerEntryType.Directory, (string?)null), ("etc/.wh.passwd", LayerEntryType.Whiteout, "etc/passwd"),
             ("var/.wh..wh..opq", LayerEntryType.OpaqueWhiteout, "var"), ("l", LayerEntryType.Symlink, null)],
            entries.Select(e => (e.Name, e.Type, e.WhiteoutTarget)));
        Assert.Equal("/t", entries[3].LinkTarget);
    }
}
