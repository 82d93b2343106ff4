using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests;

/// <summary>Hostile layers: each must fail with an error naming the layer and the entry, and
/// leave the sentinel directory beside the root exactly as it was.</summary>
public sealed class EscapingArchiveTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();
    private readonly string _root;
    private readonly string _sentinel;

    public EscapingArchiveTests()
    {
        _root = _temp.NewDir("root");
        var sentinel = new TreeBuilder(_temp.PathOf("sentinel")).File("file", "precious").Dir("sub").File("sub/f", "also").Finish();
        _sentinel = sentinel.Root;
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> CaseNames => new(EscapingLayers.Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_layer_fails_naming_layer_and_entry_and_leaves_the_sentinel_untouched(string caseName)
    {
        var before = TreeManifest.Capture(_sentinel, includeMtime: true);
        var (layers, entry) = EscapingLayers.Cases[caseName];
        for (int i = 0; i < layers.Length - 1; i++) await Layers.ApplyAsync(layers[i](), _root, $"lower{i}");

        var error = await Assert.ThrowsAsync<LayerSecurityException>(() =>
            Layers.ApplyAsync(layers[^1](), _root, "sha256:hostile", new LayerApplyOptions { MaxUncompressedBytes = 8 << 20 }));

        Assert.StartsWith($"layer sha256:hostile: entry \"{entry}\": ", error.Message);
        Assert.Equal(Strata.Core.ErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(before, TreeManifest.Capture(_sentinel, includeMtime: true));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "pwned")));
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
}
