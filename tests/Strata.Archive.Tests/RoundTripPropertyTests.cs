using FsCheck;
using FsCheck.Fluent;
using Strata.Archive.Tests.Fixtures;
using Strata.Core.Unix;

namespace Strata.Archive.Tests;

/// <summary>Properties over random trees, driven by FsCheck seeds (a failing seed is printed
/// and reproduces the tree exactly).</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(25);

    private static readonly Arbitrary<int> Seeds = Gen.Choose(0, int.MaxValue).ToArbitrary();

    [Fact]
    public void Tree_to_layer_to_tree_is_the_identity()
    {
        Prop.ForAll(Seeds, seed => TreeRoundTrip(seed).GetAwaiter().GetResult()).Check(Runs);
    }

    [Fact]
    public void Diff_of_an_applied_layer_reproduces_the_layer()
    {
        Prop.ForAll(Seeds, seed => DiffRoundTrip(seed).GetAwaiter().GetResult()).Check(Runs);
    }

    private static async Task<bool> TreeRoundTrip(int seed)
    {
        using var temp = RootOnly.NewTempDir();
        var rng = new Random(seed);
        var source = new TreeBuilder(temp.PathOf("source"));
        RandomTree.Grow(rng, source, "", rng.Next(1, 40));
        source.Finish();
        var compression = (LayerCompression)rng.Next(3);
        var (_, blob) = await Layers.WriteTreeAsync(source.Root, LayerWriteOptions.Default with { Compression = compression });
        string target = temp.NewDir("target");
        await Layers.ApplyAsync(blob, target);
        Assert.Equal(TreeManifest.Capture(source.Root, includeMtime: true), TreeManifest.Capture(target, includeMtime: true));
        return true;
    }

    /// <summary>
    /// A base tree B and an overlay upper dir U over it (new subtrees, rewritten files, files
    /// turned into directories, whiteouts; parent directories copied up with B's metadata as
    /// overlayfs does). L = layer(U) applied onto a copy of B gives R; diff(B, R) must list the
    /// same entries as L, byte for byte in metadata and content.
    /// </summary>
    private static async Task<bool> DiffRoundTrip(int seed)
    {
        using var temp = RootOnly.NewTempDir();
        var rng = new Random(seed);
        var baseTree = new TreeBuilder(temp.PathOf("b-src"));
        RandomTree.Grow(rng, baseTree, "b", rng.Next(1, 30));
        baseTree.Finish();
        var (_, baseLayer) = await Layers.WriteTreeAsync(baseTree.Root);
        string lower = temp.NewDir("lower");
        string result = temp.NewDir("result");
        await Layers.ApplyAsync(baseLayer, lower, "base");
        await Layers.ApplyAsync(baseLayer, result, "base");

        var upper = new TreeBuilder(temp.PathOf("upper"));
        var touched = new List<string>();
        foreach (var entry in TreeManifest.Capture(lower))
        {
            if (touched.Any(t => entry.Path.StartsWith(t + "/", StringComparison.Ordinal))) continue;
            int dice = rng.Next(8);
            if (dice == 0)
            {
                CopyUpParents(lower, upper, entry.Path);
                upper.OverlayWhiteout(entry.Path);
                touched.Add(entry.Path);
            }
            else if (dice == 1 && entry.Type == LayerEntryType.File && entry.HardlinkGroup is null)
            {
                CopyUpParents(lower, upper, entry.Path);
                if (rng.Next(3) == 0)
                {
                    upper.Dir(entry.Path, mtime: rng.NextInt64(100_000_000, 2_000_000_000));
                    RandomTree.Grow(rng, new TreeBuilder(upper.Full(entry.Path)), "n", 3);
                }
                else
                {
                    upper.File(entry.Path, RandomTree.Content(rng), 0x1A4, rng.Next(2000), rng.Next(2000), rng.NextInt64(100_000_000, 2_000_000_000));
                }
                touched.Add(entry.Path);
            }
        }
        RandomTree.Grow(rng, upper, "u", rng.Next(0, 15));
        upper.Finish();

        var (_, layer) = await Layers.WriteOverlayUpperAsync(upper.Root);
        await Layers.ApplyAsync(layer, result, "top");
        var (_, diff) = await Layers.WriteDiffAsync(lower, result);

        var expected = (await Layers.EntriesAsync(layer, hashContent: true)).Select(Layers.Describe).ToList();
        var actual = (await Layers.EntriesAsync(diff, hashContent: true)).Select(Layers.Describe).ToList();
        Assert.Equal(expected, actual);
        return true;
    }

    /// <summary>Creates the parent directories of <paramref name="path"/> in the upper dir with the
    /// lower's metadata, as overlayfs copy-up does.</summary>
    private static void CopyUpParents(string lower, TreeBuilder upper, string path)
    {
        var parts = path.Split('/');
        string current = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = current.Length == 0 ? parts[i] : current + "/" + parts[i];
            if (Directory.Exists(upper.Full(current))) continue;
            string source = Path.Combine(lower, current);
            var s = Libc.Lstat(source);
            upper.Dir(current, s.Permissions, s.Uid, s.Gid, s.MtimeSeconds);
            foreach (string name in Libc.Llistxattr(source)) upper.Xattr(current, name, Libc.Lgetxattr(source, name)!);
        }
    }
}
