using System.Text.Json.Nodes;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>
/// A multi-platform image (an OCI index of linux/amd64 and linux/arm64/v8) through the store:
/// load keeps the index and both platforms, images shows one row (the index digest as ID) and
/// a tree of platforms, inspect picks the host's or --platform's, save writes the same index
/// that skopeo and docker read, run uses the host's child, GC keeps the children, rmi frees
/// everything. The tests assume an amd64 host, as CI is.
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class MultiPlatformIndexTests
{
    private readonly Dockerd _docker;

    public MultiPlatformIndexTests(Dockerd docker)
    {
        _docker = docker;
    }

    [Fact]
    public async Task Load_keeps_the_index_with_both_platforms_and_images_inspect_run_prune_and_rmi_understand_it()
    {
        using var ws = new Workspace(Workspace.ThreeYearsAgo);
        var multi = await MultiPlatformArchive.MakeAsync(ws);
        var strata = ws.OtherStore("multi-store");

        Assert.Equal("Loaded image: multi:1\n", await strata.OkAsync("load", "-i", multi.Path));
        Assert.Equal($"multi|1|{multi.IndexDigest}\n", await strata.OkAsync("images", "--no-trunc", "--format", "{{.Repository}}|{{.Tag}}|{{.ID}}"));
        var table = StoreFiles.Lines(await strata.OkAsync("images"));
        Assert.Equal(2, table.Count);
        Assert.Equal(["multi", "1", multi.IndexDigest[7..19]], Columns(table[1]).Take(3));

        // The tree: the name, then each platform with its manifest digest; both present.
        // CONTENT SIZE is what the files take (the arm64 layer holds 17 bytes), as docker's size is.
        string amdSize = (await ws.Strata.OkAsync("images", "--format", "{{.Size}}", "src:amd64")).TrimEnd('\n');
        var tree = StoreFiles.Lines(await strata.OkAsync("images", "--tree", "--no-trunc")).Select(Columns).ToList();
        Assert.Equal(["IMAGE", "ID", "CONTENT", "SIZE", "PRESENT"], tree[0]);
        Assert.Equal(["multi:1", multi.IndexDigest], tree[1].Take(2));
        Assert.Equal(["├─", "linux/amd64", multi.AmdManifest, amdSize, "yes"], tree[2]);
        Assert.Equal(["└─", "linux/arm64/v8", multi.ArmManifest, "17B", "yes"], tree[3]);
        Assert.Equal(4, tree.Count);

        Assert.Equal($"{multi.IndexDigest} linux/amd64 [\"multi:1\"]\n",
            await strata.OkAsync("inspect", "--format", "{{.Id}} {{.Os}}/{{.Architecture}} {{json .RepoTags}}", "multi:1"));
        Assert.Equal($"{multi.IndexDigest} arm64 v8 [\"{multi.ArmLayer}\"]\n",
            await strata.OkAsync("inspect", "--platform", "linux/arm64", "--format", "{{.Id}} {{.Architecture}} {{.Variant}} {{json .RootFS.Layers}}", "multi:1"));
        var missing = await strata.RunAsync("inspect", "--platform", "linux/s390x", "multi:1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("image multi:1 has no linux/s390x platform present (present: linux/amd64, linux/arm64/v8)", missing.Stderr, StringComparison.Ordinal);
        Assert.Single(StoreFiles.Lines(missing.Stderr));

        // run picks the host's (amd64) child: the busybox image.
        Assert.Equal("ok\n", await strata.OkAsync("run", "--rm", "multi:1", "sh", "-c", "echo ok"));

        // Children are no dangling images: prune and the collector keep them and their blobs.
        var blobs = Path.Combine(strata.StoreRoot, "blobs", "sha256");
        var before = Directory.GetFiles(blobs).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        await strata.OkAsync("image", "prune", "-f");
        await strata.OkAsync("system", "prune", "-f");
        Assert.Equal(before, Directory.GetFiles(blobs).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        Assert.Contains(multi.IndexDigest[7..], before);
        Assert.Contains(multi.ArmLayer[7..], before);
        Assert.Equal(4, StoreFiles.Lines(await strata.OkAsync("images", "--tree")).Count);
        await AssertCheckPassesAsync(strata);

        // The store is an OCI layout: skopeo reads the index under its name, byte for byte.
        Assert.Equal(multi.IndexJson, await Tools.OkAsync(Tools.Skopeo, "inspect", "--raw", $"oci:{strata.StoreRoot}:multi:1"));

        Assert.Equal($"Untagged: multi:1\nDeleted: {multi.IndexDigest}\nDeleted: {multi.AmdConfig}\nDeleted: {multi.ArmConfig}\n", await strata.OkAsync("rmi", "multi:1"));
        Assert.Empty(Directory.GetFiles(blobs));
        Assert.Equal("", await strata.OkAsync("images", "-q"));
        await AssertCheckPassesAsync(strata);
    }

    [Fact]
    public async Task Save_writes_the_same_index_with_its_children_and_platform_picks_one_that_loads_partially_present()
    {
        using var ws = new Workspace(Workspace.ThreeYearsAgo);
        var multi = await MultiPlatformArchive.MakeAsync(ws);
        var strata = ws.OtherStore("multi-store");
        await strata.OkAsync("load", "-i", multi.Path);

        var saved = ws.Scratch.PathOf("saved.tar");
        await strata.OkAsync("save", "-o", saved, "multi:1");
        Assert.Equal(multi.IndexJson, await Tools.OkAsync(Tools.Skopeo, "inspect", "--raw", $"oci-archive:{saved}:1"));
        Assert.Equal($"{multi.IndexDigest} arm64 {multi.ArmLayer}\n",
            await Tools.OkAsync(Tools.Skopeo, "inspect", "--override-arch", "arm64", "--override-variant", "v8", "--format", "{{.Digest}} {{.Architecture}} {{index .Layers 0}}", $"oci-archive:{saved}:1"));
        var index = JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", saved, "index.json"))!["manifests"]!.AsArray();
        Assert.Equal([multi.IndexDigest], index.Select(m => m!["digest"]!.GetValue<string>()));
        Assert.Equal("docker.io/library/multi:1", index[0]!["annotations"]!["io.containerd.image.name"]!.GetValue<string>());
        // manifest.json (what docker's classic store reads) names the host platform's image, as containerd's exporter does.
        var entries = JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", saved, "manifest.json"))!.AsArray();
        Assert.Single(entries);
        Assert.Equal("blobs/sha256/" + multi.AmdConfig[7..], entries[0]!["Config"]!.GetValue<string>());
        Assert.Equal(["multi:1"], entries[0]!["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));

        // save -> load into a fresh store: the same index digest, both platforms.
        var again = ws.OtherStore("again");
        Assert.Equal("Loaded image: multi:1\n", await again.OkAsync("load", "-i", saved));
        Assert.Equal($"{multi.IndexDigest}\n", await again.OkAsync("images", "--no-trunc", "--format", "{{.ID}}"));
        Assert.Equal($"{multi.IndexDigest} arm64\n", await again.OkAsync("inspect", "--platform", "linux/arm64/v8", "--format", "{{.Id}} {{.Architecture}}", "multi:1"));

        // --platform: the index as it is, only the arm64 child present.
        var arm = ws.Scratch.PathOf("arm.tar");
        await strata.OkAsync("save", "--platform", "linux/arm64", "-o", arm, "multi:1");
        Assert.Equal(multi.IndexJson, await Tools.OkAsync(Tools.Skopeo, "inspect", "--raw", $"oci-archive:{arm}:1"));
        var members = StoreFiles.Lines(await Tools.OkAsync(Tools.Tar, "-tf", arm));
        Assert.Contains("blobs/sha256/" + multi.ArmLayer[7..], members);
        Assert.Contains("blobs/sha256/" + multi.ArmConfig[7..], members);
        Assert.DoesNotContain("blobs/sha256/" + multi.AmdConfig[7..], members);
        Assert.DoesNotContain("blobs/sha256/" + multi.AmdManifest[7..], members);

        var partial = ws.OtherStore("partial");
        Assert.Equal("Loaded image: multi:1\n", await partial.OkAsync("load", "-i", arm));
        var tree = StoreFiles.Lines(await partial.OkAsync("images", "--tree", "--all", "--no-trunc")).Select(Columns).ToList();
        Assert.Equal(["├─", "linux/amd64", multi.AmdManifest, "0B", "no"], tree[2]);
        Assert.Equal(["└─", "linux/arm64/v8", multi.ArmManifest, "17B", "yes"], tree[3]);
        var run = await partial.RunAsync("run", "--rm", "multi:1", "true");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: image multi:1 has no linux/amd64 platform present (present: linux/arm64/v8)\n", run.Stderr);
        var none = await strata.RunAsync("save", "--platform", "linux/s390x", "-o", ws.Scratch.PathOf("none.tar"), "multi:1");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("image multi:1 has no linux/s390x platform present", none.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Scratch.PathOf("none.tar")));
        await AssertCheckPassesAsync(partial);
        await AssertCheckPassesAsync(again);
    }

    [SkippableFact]
    public async Task Docker_loads_and_runs_a_saved_multi_platform_image()
    {
        _docker.SkipIfUnavailable();
        using var ws = new Workspace(Workspace.ThreeYearsAgo);
        var multi = await MultiPlatformArchive.MakeAsync(ws);
        var strata = ws.OtherStore("multi-store");
        await strata.OkAsync("load", "-i", multi.Path);
        var saved = ws.Scratch.PathOf("saved.tar");
        await strata.OkAsync("save", "-o", saved, "multi:1");

        Assert.Equal("Loaded image: multi:1\n", await _docker.OkAsync("load", "-i", saved));
        // The classic store reads manifest.json (the amd64 image); the containerd store keeps the index.
        var id = (await _docker.OkAsync("image", "inspect", "--format", "{{.Id}}", "multi:1")).TrimEnd('\n');
        Assert.Contains(id, new[] { multi.AmdConfig, multi.IndexDigest });
        Assert.Equal("ok\n", await _docker.OkAsync("run", "--rm", "--network=none", "multi:1", "sh", "-c", "echo ok"));
        await _docker.RunAsync(["rmi", "multi:1"]);
    }

    private static List<string> Columns(string line) => [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task AssertCheckPassesAsync(StrataCli strata)
    {
        var check = await strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, "system check failed:\n" + check);
        Assert.DoesNotContain("FAULT", check.Stdout, StringComparison.Ordinal);
    }
}
