using Strata.Analysis.Image;
using Strata.Images.Transfer;
using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Image;

/// <summary>Wasted bytes of crafted images against hand-computed figures.</summary>
public sealed class WasteTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-analyze-");

    public void Dispose() => _tempDir.Dispose();

    private async Task<ImageAnalysis> AnalyzeAsync(CraftedImage image, ImageAnalysisOptions? options = null)
    {
        var root = Path.Combine(_tempDir.Path, "layout");
        var manifest = image.WriteLayout(root);
        await using var source = new OciLayoutSource(root, "layout", 1 << 20);
        return await ImageAnalyzer.AnalyzeAsync(source, manifest, "crafted", options ?? ImageAnalysisOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task A_path_overwritten_three_times_wastes_every_copy_but_the_last()
    {
        var image = new CraftedImage()
            .Layer("ADD base", w => { Dir(w, "app"); File(w, "app/data", 1000); File(w, "app/keep", 7); })
            .Layer("RUN v2", w => File(w, "app/data", 2000, (byte)'b'))
            .Layer("RUN v3", w => File(w, "app/data", 3000, (byte)'c'))
            .Layer("RUN v4", w => File(w, "app/data", 400, (byte)'d'));
        var a = await AnalyzeAsync(image);

        Assert.Equal(1000 + 7 + 2000 + 3000 + 400, a.TotalBytes);
        Assert.Equal(400 + 7, a.ShippedBytes);
        Assert.Equal(6000, a.WastedBytes);
        Assert.Equal(6000, a.UserWastedBytes);
        Assert.Equal(0, a.BaseWastedBytes);
        Assert.Equal([1000L, 2000, 3000, 0], a.Layers.Select(l => l.WastedBytes));
        Assert.Equal([2, 0, 0, 0], a.Layers.Select(l => l.Added));
        Assert.Equal([0, 1, 1, 1], a.Layers.Select(l => l.Modified));
        var overwritten = a.Findings.Where(f => f.Rule == "overwritten-files").ToList();
        Assert.Equal([(2, 3, 3000L), (1, 2, 2000L), (0, 1, 1000L)], overwritten.Select(f => (f.Layer, f.ByLayer!.Value, f.Bytes)));
        Assert.All(overwritten, f => Assert.Equal("/app/data", Assert.Single(f.Paths).Path));
        Assert.Equal("RUN v3", overwritten[0].Instruction);
        Assert.Equal("RUN v4", overwritten[0].ByInstruction);
        Assert.Equal(Math.Round(407.0 / 6407, 6), a.Efficiency);
    }

    [Fact]
    public async Task A_deleted_directory_tree_wastes_all_its_files_and_counts_them_removed()
    {
        var image = new CraftedImage()
            .Layer("RUN make tree", w =>
            {
                Dir(w, "tree"); Dir(w, "tree/a"); Dir(w, "tree/a/b");
                File(w, "tree/one", 100); File(w, "tree/a/two", 200); File(w, "tree/a/b/three", 300);
                File(w, "other", 5);
            })
            .Layer("RUN rm -rf /tree", w => Whiteout(w, "tree"))
            .Layer("RUN recreate", w => { Dir(w, "tree"); File(w, "tree/one", 50); });
        var a = await AnalyzeAsync(image);

        Assert.Equal(600, a.WastedBytes);
        Assert.Equal(55, a.ShippedBytes);
        Assert.Equal([0, 3, 0], a.Layers.Select(l => l.Removed));
        Assert.Equal([4, 0, 1], a.Layers.Select(l => l.Added));
        var deleted = Assert.Single(a.Findings, f => f.Rule == "deleted-files");
        Assert.Equal((0, 1, 600L, 3), (deleted.Layer, deleted.ByLayer!.Value, deleted.Bytes, deleted.PathCount));
        Assert.Equal(["/tree/a/b/three", "/tree/a/two", "/tree/one"], deleted.Paths.Select(p => p.Path));
        Assert.Equal("RUN rm -rf /tree", deleted.ByInstruction);
    }

    [Fact]
    public async Task An_opaque_directory_hides_lower_files_but_keeps_its_own_layers_files()
    {
        var image = new CraftedImage()
            .Layer("RUN a", w => { Dir(w, "d"); Dir(w, "d/sub"); File(w, "d/old", 10); File(w, "d/sub/deep", 20); File(w, "d/kept", 30); })
            // The layer's own file comes before its opaque marker: it must survive.
            .Layer("RUN b", w => { Dir(w, "d"); File(w, "d/kept", 3); Opaque(w, "d"); File(w, "d/new", 4); });
        var a = await AnalyzeAsync(image);

        Assert.Equal(60, a.WastedBytes);
        Assert.Equal(7, a.ShippedBytes);
        Assert.Equal(2, a.Layers[1].Removed);
        Assert.Equal(30, Assert.Single(a.Findings, f => f.Rule == "overwritten-files").Bytes);
        Assert.Equal(30, Assert.Single(a.Findings, f => f.Rule == "deleted-files").Bytes);
    }

    [Fact]
    public async Task A_metadata_only_copy_up_is_found_and_a_big_changed_file_is_a_copy_up()
    {
        var image = new CraftedImage()
            .Layer("COPY app /app", w => { File(w, "app/run.sh", 5000, (byte)'s'); File(w, "app/big.bin", 2_000_000, (byte)'z'); })
            .Layer("RUN chmod +x /app/run.sh", w => File(w, "app/run.sh", 5000, (byte)'s', mode: (UnixFileMode)0b111_101_101))
            .Layer("RUN echo >> /app/big.bin", w => File(w, "app/big.bin", 2_000_001, (byte)'z'));
        var a = await AnalyzeAsync(image);

        var meta = Assert.Single(a.Findings, f => f.Rule == "metadata-copy-up");
        Assert.Equal((0, 1, 5000L, "/app/run.sh"), (meta.Layer, meta.ByLayer!.Value, meta.Bytes, Assert.Single(meta.Paths).Path));
        Assert.Contains("COPY --chmod", meta.Fix, StringComparison.Ordinal);
        var big = Assert.Single(a.Findings, f => f.Rule == "big-file-copy-up");
        Assert.Equal((0, 2, 2_000_000L, "/app/big.bin"), (big.Layer, big.ByLayer!.Value, big.Bytes, Assert.Single(big.Paths).Path));
        Assert.Equal(2_005_000, a.WastedBytes);
        Assert.DoesNotContain(a.Findings, f => f.Rule == "overwritten-files");
    }

    [Fact]
    public async Task Base_layers_given_by_the_caller_split_wasted_bytes()
    {
        var image = new CraftedImage()
            .Layer("base 1", w => File(w, "etc/motd", 100))
            .Layer("base 2", w => File(w, "etc/motd", 10))
            .Layer("COPY tmp", w => File(w, "tmp/build.tar", 50))
            .Layer("RUN rm", w => { Whiteout(w, "etc/motd"); Whiteout(w, "tmp/build.tar"); });
        var a = await AnalyzeAsync(image, ImageAnalysisOptions.Default with { BaseLayers = 2 });

        // Waste is charged to the layer that holds the bytes: both motd copies are the base's.
        Assert.Equal((160L, 110L, 50L), (a.WastedBytes, a.BaseWastedBytes, a.UserWastedBytes));
        Assert.Equal([true, true, false, false], a.Layers.Select(l => l.IsBase));
        Assert.Equal(Math.Round(50 * 100.0 / 160, 4), a.UserWastedPercent);
        Assert.Equal("store", a.BaseLayersFrom);
    }

    [Fact]
    public async Task Package_manager_caches_left_in_a_layer_are_found_with_their_fix()
    {
        var image = new CraftedImage()
            .Layer("RUN apt-get update", w => { File(w, "var/lib/apt/lists/deb.debian.org_dists", 4000); File(w, "var/lib/apt/lists/lock", 0); })
            .Layer("RUN pip install x", w => File(w, "root/.cache/pip/http/ab", 300))
            .Layer("RUN apt-get clean", w => Whiteout(w, "var/lib/apt/lists/deb.debian.org_dists"));
        var a = await AnalyzeAsync(image);

        var caches = a.Findings.Where(f => f.Rule == "package-cache").ToList();
        Assert.Equal([(0, 4000L), (1, 300L)], caches.Select(c => (c.Layer, c.Bytes)));
        Assert.Contains("apt", caches[0].Message, StringComparison.Ordinal);
        Assert.Contains("--no-cache-dir", caches[1].Fix, StringComparison.Ordinal);
        var deleted = Assert.Single(a.Findings, f => f.Rule == "deleted-files");
        Assert.Equal((0, 2, 4000L), (deleted.Layer, deleted.ByLayer!.Value, deleted.Bytes));
    }
}
