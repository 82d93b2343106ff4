using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// COPY --link (BuildKit 0.8's frontend lacks it, so by expected results): the layer is made in an
/// empty root, so it is the same blob whatever the parent holds, and carries the destination's
/// missing parents as 0755 root directories (BuildKit's copy creates them so); where the parent
/// has nothing special there, the root filesystem equals the one without --link.
/// </summary>
public sealed class CopyLinkTests : IClassFixture<BaseStore>
{
    private static readonly Dictionary<string, string?> Epoch = new() { ["SOURCE_DATE_EPOCH"] = "1700000000" };
    private readonly BaseStore _base;

    public CopyLinkTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Linked_layer_does_not_depend_on_the_parent_and_holds_default_parent_dirs()
    {
        var strata = await _base.NewStoreAsync("link");
        var context = Path.Combine(_base.Root, "link-context");
        Directory.CreateDirectory(Path.Combine(context, "dir", "sub"));
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        await File.WriteAllTextAsync(Path.Combine(context, "dir", "sub", "b.txt"), "b\n");
        async Task<List<string>> BuildAsync(string tag, string mode, string link)
        {
            var file = Path.Combine(context, tag + ".Dockerfile");
            await File.WriteAllTextAsync(file, $"FROM base:1\nRUN mkdir -m {mode} /out && chown 1000:1000 /out\nCOPY {link} a.txt /out/a.txt\n");
            // SOURCE_DATE_EPOCH clamps the created directory's mtime, so equal content gives equal blobs.
            (await strata.RunAsync(["build", "-q", "-t", tag + ":1", "-f", file, context], new RunOptions().WithEnvironment(Epoch))).EnsureSuccess();
            using var doc = JsonDocument.Parse((await strata.RunAsync("inspect", tag + ":1")).EnsureSuccess().Stdout);
            return [.. doc.RootElement[0].GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!)];
        }

        var linked700 = await BuildAsync("linked700", "700", "--link");
        var linked755 = await BuildAsync("linked755", "755", "--link");
        var plain700 = await BuildAsync("plain700", "700", "");
        var plain755 = await BuildAsync("plain755", "755", "");

        Assert.NotEqual(linked700[^2], linked755[^2]); // the parents differ...
        Assert.Equal(linked700[^1], linked755[^1]);     // ...the linked layer does not
        Assert.NotEqual(plain700[^1], plain755[^1]);   // without --link /out is copied up from the parent
        var entries = await LastLayerEntriesAsync(strata, "linked700:1");
        Assert.Contains(entries, e => e.StartsWith("drwxr-xr-x 0/0", StringComparison.Ordinal) && e.EndsWith(" out/", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.StartsWith("-rw-r--r-- 0/0", StringComparison.Ordinal) && e.EndsWith(" out/a.txt", StringComparison.Ordinal));
        Assert.Equal(2, entries.Count);
        var plainEntries = await LastLayerEntriesAsync(strata, "plain700:1");
        Assert.Contains(plainEntries, e => e.StartsWith("drwx------ 1000/1000", StringComparison.Ordinal) && e.EndsWith(" out/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Linked_copy_gives_the_same_rootfs_as_a_plain_one_when_parents_are_default()
    {
        var strata = await _base.NewStoreAsync("link-same");
        var context = Path.Combine(_base.Root, "link-same-context");
        Directory.CreateDirectory(Path.Combine(context, "dir", "sub"));
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        await File.WriteAllTextAsync(Path.Combine(context, "dir", "sub", "b.txt"), "b\n");
        var roots = new List<string>();
        foreach (var link in new[] { "", "--link " })
        {
            var tag = link.Length == 0 ? "same-plain:1" : "same-linked:1";
            var file = Path.Combine(context, (link.Length == 0 ? "plain" : "linked") + ".Dockerfile");
            await File.WriteAllTextAsync(file, $"FROM base:1\nCOPY {link}a.txt /srv/data/a.txt\nCOPY {link}--chown=1000:2000 dir/ /opt/new/deep/\nCOPY {link}a.txt /etc/motd\nRUN cat /opt/new/deep/sub/b.txt > /copied-by-run\n");
            (await strata.RunAsync("build", "-q", "-t", tag, "-f", file, context)).EnsureSuccess();
            var root = Path.Combine(_base.Root, "link-same-" + (link.Length == 0 ? "plain" : "linked"));
            await ImageTrees.UnpackStrataAsync(strata, tag, root);
            roots.Add(root);
        }

        var differences = await TreeDiff.CompareAsync(roots[0], roots[1], "plain", "linked");
        Assert.True(differences.Count == 0, "--link changed the rootfs:\n  " + string.Join("\n  ", differences));
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(roots[1], "copied-by-run")));
    }

    /// <summary>The last layer's entries as <c>tar -tv --numeric-owner</c> lists them, from <c>strata save</c>.</summary>
    private async Task<List<string>> LastLayerEntriesAsync(StrataCli strata, string tag)
    {
        var dir = Path.Combine(_base.Root, "saved-" + tag.Replace(':', '-'));
        Directory.CreateDirectory(dir);
        var tar = Path.Combine(dir, "image.tar");
        (await strata.RunAsync(["save", tag], new RunOptions { StdoutFile = tar })).EnsureSuccess();
        (await ProcessRunner.RunAsync("tar", "-xf", tar, "-C", dir)).EnsureSuccess();
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json")));
        var last = manifest.RootElement[0].GetProperty("Layers").EnumerateArray().Last().GetString()!;
        var listing = (await ProcessRunner.RunAsync("tar", "-tvf", Path.Combine(dir, last), "--numeric-owner")).EnsureSuccess().Stdout;
        // "drwxr-xr-x 0/0 0 2024-01-01 00:00 out/" -> mode, owner and name only.
        return [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => $"{p[0]} {p[1]} {p[^1]}")];
    }
}
