using System.Formats.Tar;
using System.Text.Json;
using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests;

/// <summary>Third-party archives from ../shared/conformance (see its README).</summary>
public sealed class ConformanceTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    private static string Data(string relative) => Path.Combine(RepoPaths.Conformance, relative);

    [Fact]
    public async Task Moby_broken_tar_with_mixed_gnu_and_ustar_headers_reads_to_the_end()
    {
        await using var file = File.OpenRead(Data("moby-go-archive/testdata/broken.tar"));
        var names = new List<string>();
        await foreach (var e in LayerReader.ReadEntriesAsync(file)) names.Add(e.Name);
        Assert.Equal(10, names.Count);
        Assert.Contains("root/.cpanm/work/1395823785.24209/Plack-1.0030/blib/man3/Plack::Middleware::LighttpdScriptNameFix.3pm", names);
    }

    [Fact]
    public async Task Crane_content_tar_and_its_zstd_twin_apply_to_the_same_tree()
    {
        string plain = _temp.NewDir("plain");
        string zstd = _temp.NewDir("zstd");
        await using (var f = File.OpenRead(Data("google-go-containerregistry/pkg/v1/tarball/testdata/content.tar")))
            await LayerApplier.ApplyAsync(f, plain, new LayerApplyOptions { LayerName = "content.tar" }, CancellationToken.None);
        await using (var f = File.OpenRead(Data("google-go-containerregistry/pkg/crane/testdata/content.tar.zst")))
            await LayerApplier.ApplyAsync(f, zstd, new LayerApplyOptions { LayerName = "content.tar.zst" }, CancellationToken.None);
        var tree = TreeManifest.Capture(plain, includeMtime: true);
        Assert.Equal(["bat", "baz"], tree.Select(e => e.Path));
        Assert.All(tree, e => Assert.Equal(0x16D /* 0555 */, e.Mode));
        Assert.Equal(tree, TreeManifest.Capture(zstd, includeMtime: true));
    }

    [Fact]
    public async Task Whiteout_image_flattens_to_bar_only()
    {
        string root = await FlattenAsync("whiteout_image.tar");
        Assert.Equal(["bar.txt"], TreeManifest.Capture(root).Select(e => e.Path));
    }

    [Fact]
    public async Task Whiteout_dir_flattens_to_the_recreated_directory_and_its_sibling()
    {
        string root = await FlattenAsync("whiteout_dir.tar");
        Assert.Equal(["a", "a/baz", "b", "b/bar"], TreeManifest.Capture(root).Select(e => e.Path));
    }

    [Fact]
    public async Task Overwritten_file_flattens_to_the_symlink_of_the_top_layer()
    {
        string root = await FlattenAsync("overwritten_file.tar");
        var tree = TreeManifest.Capture(root);
        Assert.Equal(["bar.txt", "foo.txt"], tree.Select(e => e.Path));
        Assert.Equal((LayerEntryType.Symlink, "bar.txt"), (tree[1].Type, tree[1].LinkTarget));
        Assert.Equal("bar", (await File.ReadAllTextAsync(Path.Combine(root, "foo.txt"))).Trim());
    }

    /// <summary>Applies the layers of a docker-save archive in manifest order into a new root.</summary>
    private async Task<string> FlattenAsync(string archive)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var stream = File.OpenRead(Data("google-go-containerregistry/pkg/v1/mutate/testdata/" + archive)))
        {
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                files[entry.Name] = buffer.ToArray();
            }
        }
        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        string root = _temp.NewDir("flat-" + archive);
        foreach (var layer in manifest.RootElement[0].GetProperty("Layers").EnumerateArray())
        {
            string name = layer.GetString()!;
            await Layers.ApplyAsync(files[name], root, name);
        }
        return root;
    }
}
