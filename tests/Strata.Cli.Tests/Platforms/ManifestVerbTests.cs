using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Cli.Tests.Platforms;

/// <summary>
/// <c>strata manifest create/inspect</c> over images imported as linux/amd64, linux/arm64 and
/// linux/arm/v7, and what the other verbs make of the index: one row in <c>images</c>, a tree of
/// platforms, <c>inspect</c>/<c>history</c>/<c>run --platform</c> picking a child.
/// </summary>
public sealed class ManifestVerbTests : IDisposable
{
    private readonly PlatformStore _store = new();

    public void Dispose() => _store.Dispose();

    private async Task<(string Amd64, string Arm64, string ArmV7)> ImportThreeAsync() =>
        (await _store.ImportAsync("linux/amd64", "bb:amd64"), await _store.ImportAsync("linux/arm64", "bb:arm64"), await _store.ImportAsync("linux/arm/v7", "bb:armv7"));

    /// <summary>The manifest digest of an image (the DIGEST column of images).</summary>
    private async Task<string> ManifestDigestAsync(string image) =>
        (await _store.OkAsync("images", "--no-trunc", "--format", "{{.Digest}}", image)).TrimEnd('\n');

    [Fact]
    public async Task Create_makes_one_index_of_the_three_platforms_and_inspect_prints_it()
    {
        var (amd64, arm64, armV7) = await ImportThreeAsync();

        Assert.Equal("Created manifest list docker.io/library/multi:1\n", await _store.OkAsync("manifest", "create", "multi:1", "bb:amd64", "bb:arm64", "bb:armv7"));

        var printed = await _store.OkAsync("manifest", "inspect", "multi:1");
        var indexDigest = (await _store.OkAsync("inspect", "--format", "{{.Id}}", "multi:1")).TrimEnd('\n');
        // The printed document is the stored index, byte for byte (docker's three-space indent).
        Assert.Equal(indexDigest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(printed.TrimEnd('\n')))));
        Assert.StartsWith("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n   \"manifests\": [\n      {\n", printed, StringComparison.Ordinal);
        var manifests = JsonNode.Parse(printed)!["manifests"]!.AsArray();
        Assert.Equal(
            [
                $"{await ManifestDigestAsync("bb:amd64")} amd64 linux ",
                $"{await ManifestDigestAsync("bb:arm64")} arm64 linux ",
                $"{await ManifestDigestAsync("bb:armv7")} arm linux v7",
            ],
            manifests.Select(m => $"{m!["digest"]} {m["platform"]!["architecture"]} {m["platform"]!["os"]} {m["platform"]!["variant"]}"));
        Assert.All(manifests, m => Assert.Equal("application/vnd.oci.image.manifest.v1+json", (string?)m!["mediaType"]));

        // inspect, history and the image ID follow --platform to the child.
        Assert.Equal($"{indexDigest} arm v7\n", await _store.OkAsync("inspect", "--platform", "linux/arm/v7", "--format", "{{.Id}} {{.Architecture}} {{.Variant}}", "multi:1"));
        Assert.Equal($"{indexDigest} amd64\n", await _store.OkAsync("inspect", "--format", "{{.Id}} {{.Architecture}}", "multi:1"));
        Assert.Equal($"{arm64}\n", await _store.OkAsync("history", "--platform", "linux/arm64", "--no-trunc", "--format", "{{.ID}}", "multi:1"));
        Assert.Equal($"{armV7}\n", await _store.OkAsync("history", "--platform", "linux/arm/v7", "--no-trunc", "--format", "{{.ID}}", "multi:1"));
        Assert.Equal($"{amd64}\n", await _store.OkAsync("history", "--no-trunc", "--format", "{{.ID}}", "multi:1"));

        // verbose: docker's list of entries, each with its reference, descriptor and manifest.
        var verbose = JsonNode.Parse(await _store.OkAsync("manifest", "inspect", "-v", "multi:1"))!.AsArray();
        Assert.Equal(3, verbose.Count);
        Assert.Equal($"docker.io/library/multi@{manifests[1]!["digest"]}", (string?)verbose[1]!["Ref"]);
        Assert.Equal("arm64", (string?)verbose[1]!["Descriptor"]!["platform"]!["architecture"]);
        Assert.Equal(arm64, (string?)verbose[1]!["OCIManifest"]!["config"]!["digest"]);
    }

    [Fact]
    public async Task Images_shows_the_index_as_one_row_and_the_tree_lists_each_platform_with_its_size()
    {
        await ImportThreeAsync();
        await _store.OkAsync("manifest", "create", "multi:1", "bb:amd64", "bb:arm64", "bb:armv7");
        var indexDigest = (await _store.OkAsync("inspect", "--format", "{{.Id}}", "multi:1")).TrimEnd('\n');
        async Task<string> Size(string image) => (await _store.OkAsync("images", "--format", "{{.Size}}", image)).TrimEnd('\n');

        Assert.Equal($"multi|1|{indexDigest}\n", await _store.OkAsync("images", "--no-trunc", "--format", "{{.Repository}}|{{.Tag}}|{{.ID}}", "multi"));
        var tree = (await _store.OkAsync("images", "--tree", "--no-trunc")).TrimEnd('\n').Split('\n')
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        int at = tree.FindIndex(l => l.StartsWith("multi:1 ", StringComparison.Ordinal));
        Assert.Equal($"multi:1 {indexDigest}", string.Join(' ', tree[at].Split(' ').Take(2)));
        Assert.Equal(
            [
                $"├─ linux/amd64 {await ManifestDigestAsync("bb:amd64")} {await Size("bb:amd64")} yes",
                $"├─ linux/arm64 {await ManifestDigestAsync("bb:arm64")} {await Size("bb:arm64")} yes",
                $"└─ linux/arm/v7 {await ManifestDigestAsync("bb:armv7")} {await Size("bb:armv7")} yes",
            ],
            tree[(at + 1)..(at + 4)]);
    }

    [Fact]
    public async Task A_platform_the_index_lacks_fails_in_one_line_listing_the_platforms_it_has()
    {
        await ImportThreeAsync();
        await _store.OkAsync("manifest", "create", "multi:1", "bb:arm64", "bb:armv7");

        foreach (string[] verb in new[] { new[] { "inspect", "--platform", "linux/s390x" }, ["history", "--platform", "linux/s390x"], ["run", "--rm", "--platform", "linux/s390x"] })
        {
            var r = await _store.RunAsync([.. verb, "multi:1"]);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("Error: image multi:1 has no linux/s390x platform present (present: linux/arm64, linux/arm/v7)\n", r.Stderr);
        }
        // run without --platform wants the host's (amd64) child, which this index lacks.
        var host = await _store.RunAsync("run", "--rm", "multi:1", "true");
        Assert.Equal("Error: image multi:1 has no linux/amd64 platform present (present: linux/arm64, linux/arm/v7)\n", host.Stderr);
        Assert.Equal("", await _store.OkAsync("ps", "-aq"));
    }

    [Fact]
    public async Task Run_platform_runs_that_platforms_child_and_run_without_it_the_hosts()
    {
        // The arm64-labelled image holds the host's busybox, so it runs without emulation; ENV tells the children apart.
        await _store.OkAsync("import", "--platform", "linux/arm64", "-c", "ENV LABEL=arm64", _store.Rootfs, "bb:arm64");
        await _store.OkAsync("import", "--platform", "linux/amd64", "-c", "ENV LABEL=amd64", _store.Rootfs, "bb:amd64");
        await _store.OkAsync("manifest", "create", "multi:1", "bb:arm64", "bb:amd64");

        Assert.Equal("arm64\n", await _store.OkAsync("run", "--rm", "--network", "none", "--platform", "linux/arm64", "multi:1", "sh", "-c", "echo $LABEL"));
        Assert.Equal("amd64\n", await _store.OkAsync("run", "--rm", "--network", "none", "multi:1", "sh", "-c", "echo $LABEL"));
        Assert.Equal("", await _store.OkAsync("ps", "-aq"));
    }

    [Fact]
    public async Task Two_images_of_one_platform_are_refused_in_one_line_and_nothing_is_named()
    {
        await ImportThreeAsync();
        await _store.ImportAsync("linux/arm64/v8", "bb:arm64v8");

        var r = await _store.RunAsync("manifest", "create", "multi:1", "bb:arm64", "bb:armv7", "bb:arm64v8");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("Error: images bb:arm64 and bb:arm64v8 are both linux/arm64/v8: a manifest list holds one image per platform\n", r.Stderr);
        Assert.Equal(1, (await _store.RunAsync("inspect", "multi:1")).ExitCode);
    }

    [Fact]
    public async Task An_existing_list_needs_amend_and_amend_replaces_the_child_of_the_same_platform()
    {
        var (amd64, _, armV7) = await ImportThreeAsync();
        await _store.OkAsync("manifest", "create", "multi:1", "bb:amd64", "bb:arm64");
        var before = await _store.OkAsync("manifest", "inspect", "multi:1");

        var refused = await _store.RunAsync("manifest", "create", "multi:1", "bb:armv7");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error: refusing to amend the existing manifest list docker.io/library/multi:1 with no --amend flag\n", refused.Stderr);
        Assert.Equal(before, await _store.OkAsync("manifest", "inspect", "multi:1"));

        // A new amd64 image (another message, so another config) takes the amd64 place; arm/v7 joins.
        var newAmd = (await _store.OkAsync("import", "--platform", "linux/amd64", "-m", "second", _store.Rootfs, "bb:amd64-2")).TrimEnd('\n');
        Assert.NotEqual(amd64, newAmd);
        await _store.OkAsync("manifest", "create", "--amend", "multi:1", "bb:armv7", "bb:amd64-2");
        var platforms = JsonNode.Parse(await _store.OkAsync("manifest", "inspect", "multi:1"))!["manifests"]!.AsArray()
            .Select(m => $"{m!["platform"]!["architecture"]}{m["platform"]!["variant"]}");
        Assert.Equal(["arm64", "armv7", "amd64"], platforms);
        Assert.Equal($"{newAmd}\n", await _store.OkAsync("history", "--platform", "linux/amd64", "--no-trunc", "--format", "{{.ID}}", "multi:1"));
        Assert.Equal($"{armV7}\n", await _store.OkAsync("history", "--platform", "linux/arm/v7", "--no-trunc", "--format", "{{.ID}}", "multi:1"));
    }

    [Fact]
    public async Task An_index_or_a_missing_image_is_refused_as_a_child_in_one_line()
    {
        await ImportThreeAsync();
        await _store.OkAsync("manifest", "create", "multi:1", "bb:amd64", "bb:arm64");

        var nested = await _store.RunAsync("manifest", "create", "other:1", "multi:1", "bb:armv7");
        Assert.Equal(2, nested.ExitCode);
        Assert.Equal("Error: multi:1 is a multi-platform image: a manifest list takes the image of each platform, not an index\n", nested.Stderr);

        var missing = await _store.RunAsync("manifest", "create", "other:1", "bb:nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error: No such image: bb:nope\n", missing.Stderr);

        var none = await _store.RunAsync("manifest", "inspect", "other:1");
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("Error: No such manifest: other:1\n", none.Stderr);
    }
}
