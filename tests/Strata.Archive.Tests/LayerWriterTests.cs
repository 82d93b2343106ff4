using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Strata.Archive.Tests.Fixtures;
using Strata.Core;

namespace Strata.Archive.Tests;

public sealed class LayerWriterTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    /// <summary>A small tree of every kind; <paramref name="reverse"/> creates files in the
    /// opposite order so inode numbers and directory order on disk differ.</summary>
    private TreeBuilder SampleTree(string name, long mtimeShift = 0, bool reverse = false)
    {
        long m = 1_600_000_000 + mtimeShift;
        var t = new TreeBuilder(_temp.PathOf(name))
            .Dir("bin", mtime: m)
            .Dir("tmp", mode: 0x3FF /* 01777 */, mtime: m)
            .Dir("a", uid: 1000, gid: 1000, mtime: m);
        var files = new List<Action>
        {
            () => t.File("bin/tool", "#!/bin/sh\necho hi\n", mode: 0xDED /* 06755 */, mtime: m + 100),
            () => t.File("a-b", "dash sorts before slash", mtime: m),
            () => t.File("a/x", "x", uid: 1000, gid: 1000, mtime: m),
            () => t.Symlink("a/link", "../bin/tool", mtime: m),
        };
        if (reverse) files.Reverse();
        foreach (var f in files) f();
        t.Hardlink("bin/tool2", "bin/tool").NetRawCapability("bin/tool");
        return t.Finish();
    }

    [Fact]
    public async Task Same_tree_written_twice_gives_identical_bytes()
    {
        var tree = SampleTree("t");
        var (first, blob1) = await Layers.WriteTreeAsync(tree.Root);
        var (second, blob2) = await Layers.WriteTreeAsync(tree.Root);
        Assert.Equal(first, second);
        Assert.Equal(blob1, blob2);
    }

    /// <summary>The tar format is part of every digest Strata ever produced: changing a header
    /// byte changes every user's cache keys. This pins it; update only on purpose.</summary>
    [Fact]
    public async Task The_tar_encoding_of_a_fixed_tree_is_pinned()
    {
        var (result, _) = await Layers.WriteTreeAsync(SampleTree("t").Root);
        Assert.Equal("sha256:dff56bf980c23009e552ea87f620aeaaa5e8c693c514aed8b4f40ada3f64d9f8", result.DiffId.ToString());
        Assert.Equal(8704, result.UncompressedSize);
    }

    [Fact]
    public async Task A_copy_with_later_mtimes_and_other_inode_order_hashes_the_same_under_source_date_epoch()
    {
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_500_000_000);
        var options = LayerWriteOptions.Default with { SourceDateEpoch = epoch };
        var (a, _) = await Layers.WriteTreeAsync(SampleTree("one", mtimeShift: 0).Root, options);
        var (b, _) = await Layers.WriteTreeAsync(SampleTree("two", mtimeShift: 12_345, reverse: true).Root, options);
        Assert.Equal(a.DiffId, b.DiffId);
        Assert.Equal(a.Digest, b.Digest);
        var (unclamped, _) = await Layers.WriteTreeAsync(SampleTree("three", mtimeShift: 12_345).Root);
        Assert.NotEqual(a.DiffId, unclamped.DiffId);
    }

    [Theory]
    [InlineData(LayerCompression.None, MediaTypes.OciLayer)]
    [InlineData(LayerCompression.Gzip, MediaTypes.OciLayerGzip)]
    [InlineData(LayerCompression.Zstd, MediaTypes.OciLayerZstd)]
    public async Task Digest_and_diffid_are_the_hashes_of_the_blob_and_of_the_tar(LayerCompression compression, string mediaType)
    {
        var tree = SampleTree("t");
        var (result, blob) = await Layers.WriteTreeAsync(tree.Root, LayerWriteOptions.Default with { Compression = compression });
        Assert.Equal(mediaType, result.MediaType);
        Assert.Equal(blob.Length, result.Size);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)), result.Digest.Value);
        using var tar = new MemoryStream();
        using (var plain = LayerCompressionDetector.OpenDecompressed(new MemoryStream(blob))) plain.CopyTo(tar);
        Assert.Equal(result.UncompressedSize, tar.Length);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray())), result.DiffId.Digest.Value);
    }

    [Fact]
    public async Task Parallel_and_inline_compression_give_the_same_blob()
    {
        var tree = SampleTree("t");
        var (parallel, blob1) = await Layers.WriteTreeAsync(tree.Root, LayerWriteOptions.Default with { CompressInParallel = true });
        var (inline, blob2) = await Layers.WriteTreeAsync(tree.Root, LayerWriteOptions.Default with { CompressInParallel = false });
        Assert.Equal(parallel, inline);
        Assert.Equal(blob1, blob2);
    }

    [Fact]
    public async Task Entries_are_depth_first_in_byte_order_with_hardlinks_to_the_first_path()
    {
        var (_, blob) = await Layers.WriteTreeAsync(SampleTree("t").Root);
        var entries = await Layers.EntriesAsync(blob);
        Assert.Equal(
            ["a", "a/link", "a/x", "a-b", "bin", "bin/tool", "bin/tool2", "tmp"],
            entries.Select(e => e.Name));
        var tool2 = entries.Single(e => e.Name == "bin/tool2");
        Assert.Equal(LayerEntryType.Hardlink, tool2.Type);
        Assert.Equal("bin/tool", tool2.LinkTarget);
        var tool = entries.Single(e => e.Name == "bin/tool");
        Assert.Equal(0xDED, tool.Mode);
        Assert.Equal(TreeBuilder.CapabilityNetRaw, Assert.Single(tool.Xattrs, x => x.Key == "security.capability").Value);
        Assert.Equal(0x3FF, entries.Single(e => e.Name == "tmp").Mode);
        Assert.Equal((1000, 1000), (entries.Single(e => e.Name == "a/x").Uid, entries.Single(e => e.Name == "a/x").Gid));
    }

    [Fact]
    public async Task Long_names_and_big_ids_are_written_as_pax_that_other_readers_understand()
    {
        string longName = new string('n', 150);
        var tree = new TreeBuilder(_temp.PathOf("t"))
            .Dir("d")
            .File("d/" + longName, "long", uid: 3_000_000, gid: 70_000)
            .Symlink("d/s", "target/" + new string('t', 120))
            .Xattr("d", "user.text", "value"u8.ToArray())
            .Finish();
        var (_, blob) = await Layers.WriteTreeAsync(tree.Root, LayerWriteOptions.Default with { Compression = LayerCompression.None });

        using var reader = new TarReader(new MemoryStream(blob));
        var seen = new Dictionary<string, TarEntry>();
        while (reader.GetNextEntry() is { } e) seen[e.Name] = e;
        Assert.Equal(3_000_000, seen["d/" + longName].Uid);
        Assert.Equal(70_000, seen["d/" + longName].Gid);
        Assert.Equal("target/" + new string('t', 120), seen["d/s"].LinkName);
        Assert.Equal("value", ((PaxTarEntry)seen["d/"]).ExtendedAttributes["SCHILY.xattr.user.text"]);
    }

    [Fact]
    public async Task Binary_xattr_values_survive_byte_for_byte()
    {
        // Newline, '=' and invalid UTF-8 inside a PAX value: records are length-prefixed, not lines.
        byte[] binary = [0, 0xFF, 0xFE, 10, 61, 32];
        var tree = new TreeBuilder(_temp.PathOf("t")).Dir("d").Xattr("d", "user.bin", binary).Finish();
        var (_, blob) = await Layers.WriteTreeAsync(tree.Root);
        var entry = Assert.Single(await Layers.EntriesAsync(blob));
        Assert.Equal(binary, Assert.Single(entry.Xattrs).Value);
    }

    [Fact]
    public async Task An_overlay_upper_dir_turns_whiteout_devices_and_opaque_xattrs_into_oci_whiteouts()
    {
        var upper = new TreeBuilder(_temp.PathOf("upper"))
            .Dir("etc")
            .OverlayWhiteout("etc/gone")
            .Dir("var")
            .OverlayOpaque("var")
            .Xattr("var", "trusted.overlay.origin", [1, 2, 3])
            .File("var/new", "n")
            .Finish();
        var (_, blob) = await Layers.WriteOverlayUpperAsync(upper.Root);
        var entries = await Layers.EntriesAsync(blob);
        Assert.Equal(["etc", "etc/.wh.gone", "var", "var/.wh..wh..opq", "var/new"], entries.Select(e => e.Name));
        Assert.Equal(LayerEntryType.Whiteout, entries[1].Type);
        Assert.Equal("etc/gone", entries[1].WhiteoutTarget);
        Assert.Equal(LayerEntryType.OpaqueWhiteout, entries[3].Type);
        Assert.Empty(entries[2].Xattrs);
    }

    [Fact]
    public async Task A_diff_lists_added_changed_and_deleted_entries_with_their_parents()
    {
        var lower = new TreeBuilder(_temp.PathOf("lower"))
            .Dir("etc").File("etc/keep", "same").File("etc/change", "old").File("etc/remove", "r")
            .Dir("old").File("old/f", "f")
            .Finish();
        var upper = new TreeBuilder(_temp.PathOf("upper"))
            .Dir("etc").File("etc/keep", "same").File("etc/change", "new!").File("etc/added", "a")
            .Dir("new").File("new/f", "f")
            .Finish();
        var (_, blob) = await Layers.WriteDiffAsync(lower.Root, upper.Root);
        var entries = await Layers.EntriesAsync(blob);
        Assert.Equal([".wh.old", "etc", "etc/.wh.remove", "etc/added", "etc/change", "new", "new/f"],
            entries.Select(e => e.Name));
    }

    [Fact]
    public async Task Gzip_blob_is_a_standard_gzip_stream()
    {
        var (_, blob) = await Layers.WriteTreeAsync(SampleTree("t").Root);
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        int count = 0;
        while (tar.GetNextEntry() is not null) count++;
        Assert.Equal(8, count);
    }
}
