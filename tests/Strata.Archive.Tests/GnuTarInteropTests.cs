using System.Diagnostics;
using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests;

/// <summary>GNU tar (on every Debian machine) as an independent reader of what Strata writes.</summary>
public sealed class GnuTarInteropTests : IDisposable
{
    private readonly TempDir _temp = new();

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

        var start = new ProcessStartInfo("tar", ["-x", "-f", layer, "-C", target, "--numeric-owner", "-p", "--xattrs", "--xattrs-include=*"])
        {
            RedirectStandardError = true,
        };
        using var tar = Process.Start(start)!;
        string errors = await tar.StandardError.ReadToEndAsync();
        await tar.WaitForExitAsync();
        Assert.True(tar.ExitCode == 0, "tar failed: " + errors);

        Assert.Equal(TreeManifest.Capture(source.Root, includeMtime: true), TreeManifest.Capture(target, includeMtime: true));
    }
}
