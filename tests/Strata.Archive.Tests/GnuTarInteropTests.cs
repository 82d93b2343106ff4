using System.Diagnostics;
using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests;

/// <summary>GNU tar (on every Debian machine) as an independent reader of what Strata writes.</summary>
public sealed class GnuTarInteropTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Gnu_tar_extracts_a_strata_layer_to_the_same_tree(int seed)
    {
        var rng = new Random(seed);
        var source = new TreeBuilder(_temp.PathOf("source"));
        RandomTree.Grow(rng, source, "", 40);
        source.Finish();
        var (_, blob) = await Layers.WriteTreeAsync(source.Root, LayerWriteOptions.Default with { Compression = LayerCompression.None });
        string layer = _temp.PathOf("layer.tar");
        await File.WriteAllBytesAsync(layer, blob);
        string target = _temp.NewDir("target");

        await RunTarAsync("-x", "-f", layer, "-C", target, "--numeric-owner", "-p", "--xattrs", "--xattrs-include=*");

        Assert.Equal(TreeManifest.Capture(source.Root, includeMtime: true), TreeManifest.Capture(target, includeMtime: true));
    }

    [Theory]
    [InlineData("posix", 4)]
    [InlineData("gnu", 5)]
    [InlineData("posix", 6)]
    [InlineData("gnu", 7)]
    public async Task A_layer_made_by_gnu_tar_applies_to_the_same_tree(string format, int seed)
    {
        var rng = new Random(seed);
        var source = new TreeBuilder(_temp.PathOf("source"));
        RandomTree.Grow(rng, source, "", 40);
        source.Finish();
        string layer = _temp.PathOf("layer.tar");
        bool xattrs = format == "posix"; // GNU format has no place for xattrs
        await RunTarAsync([
            "-c", "-f", layer, "-C", source.Root, "--numeric-owner", "--format=" + format,
            .. xattrs ? new[] { "--xattrs", "--xattrs-include=*" } : [], "."]);
        string target = _temp.NewDir("target");

        await using (var file = File.OpenRead(layer))
            await LayerApplier.ApplyAsync(file, target, new LayerApplyOptions { LayerName = "gnu-tar" }, CancellationToken.None);

        static IEnumerable<TreeEntry> Comparable(IEnumerable<TreeEntry> tree, bool xattrs) => xattrs ? tree : tree.Select(e => e with { Xattrs = "" });
        Assert.Equal(
            Comparable(TreeManifest.Capture(source.Root, includeMtime: true), xattrs),
            Comparable(TreeManifest.Capture(target, includeMtime: true), xattrs));
    }

    private static async Task RunTarAsync(params string[] args)
    {
        var start = new ProcessStartInfo("tar", args) { RedirectStandardError = true };
        using var tar = Process.Start(start)!;
        string errors = await tar.StandardError.ReadToEndAsync();
        await tar.WaitForExitAsync();
        Assert.True(tar.ExitCode == 0, "tar failed: " + errors);
    }
}
