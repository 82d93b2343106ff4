using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Strata.Cli.Tests.Platforms;

/// <summary>
/// <c>save</c> / <c>load</c> of an index made by <c>manifest create</c>: the OCI archive holds the
/// index as stored (skopeo reads it), and loading it into another store gives the same index digest
/// with every platform. <c>save --platform</c> keeps the index whole with only that child inside.
/// </summary>
public sealed class IndexArchiveTests : IDisposable
{
    private readonly PlatformStore _store = new();

    public void Dispose() => _store.Dispose();

    private async Task<(string IndexDigest, string IndexJson)> IndexAsync()
    {
        await _store.ImportAsync("linux/arm64", "bb:arm64");
        await _store.ImportAsync("linux/arm/v7", "bb:armv7");
        await _store.OkAsync("manifest", "create", "multi:1", "bb:arm64", "bb:armv7");
        return ((await _store.OkAsync("inspect", "--platform", "linux/arm64", "--format", "{{.Id}}", "multi:1")).TrimEnd('\n'),
            (await _store.OkAsync("manifest", "inspect", "multi:1")).TrimEnd('\n'));
    }

    [Fact]
    public async Task Save_then_load_keeps_the_index_digest_and_skopeo_reads_the_saved_index()
    {
        var (indexDigest, indexJson) = await IndexAsync();
        var saved = _store.PathOf("multi.tar");

        await _store.OkAsync("save", "-o", saved, "multi:1");

        Assert.Equal(indexJson, (await SkopeoAsync("inspect", "--raw", $"oci-archive:{saved}:1")).TrimEnd('\n'));
        Assert.Equal("arm linux\n", await SkopeoAsync("inspect", "--override-arch", "arm", "--override-variant", "v7", "--format", "{{.Architecture}} {{.Os}}", $"oci-archive:{saved}:1"));

        // The docker 25+ layout: manifest.json (what docker's classic store reads) names one image,
        // the host's platform else the first present, as containerd's exporter does: here arm64.
        var arm64 = (await _store.OkAsync("inspect", "--format", "{{.Id}}", "bb:arm64")).TrimEnd('\n');
        var entries = JsonNode.Parse(await ToolAsync("/usr/bin/tar", "-xOf", saved, "manifest.json"))!.AsArray();
        Assert.Equal(["blobs/sha256/" + arm64[7..]], entries.Select(e => (string?)e!["Config"]));
        Assert.Equal(["multi:1"], entries[0]!["RepoTags"]!.AsArray().Select(t => (string?)t));

        var load = await _store.RunInAsync("again", "load", "-i", saved);
        Assert.Equal(0, load.ExitCode);
        Assert.Equal("Loaded image: multi:1\n", load.Stdout);
        Assert.Equal($"{indexDigest}\n", (await _store.RunInAsync("again", "images", "--no-trunc", "--format", "{{.ID}}")).Stdout);
        Assert.Equal("arm v7\n", (await _store.RunInAsync("again", "inspect", "--platform", "linux/arm/v7", "--format", "{{.Architecture}} {{.Variant}}", "multi:1")).Stdout);
        Assert.Equal(indexJson + "\n", (await _store.RunInAsync("again", "manifest", "inspect", "multi:1")).Stdout);
    }

    [Fact]
    public async Task Save_platform_keeps_the_index_with_only_that_child_and_loads_it_partially_present()
    {
        var (indexDigest, indexJson) = await IndexAsync();
        var saved = _store.PathOf("arm64.tar");
        var armV7Config = (await _store.OkAsync("inspect", "--format", "{{.Id}}", "bb:armv7")).TrimEnd('\n');

        await _store.OkAsync("save", "--platform", "linux/arm64", "-o", saved, "multi:1");

        Assert.Equal(indexJson, (await SkopeoAsync("inspect", "--raw", $"oci-archive:{saved}:1")).TrimEnd('\n'));
        var members = (await ToolAsync("/usr/bin/tar", "-tf", saved)).Split('\n');
        Assert.DoesNotContain("blobs/sha256/" + armV7Config[7..], members);
        Assert.Equal(0, (await _store.RunInAsync("partial", "load", "-i", saved)).ExitCode);
        Assert.Equal($"{indexDigest}\n", (await _store.RunInAsync("partial", "images", "--no-trunc", "--format", "{{.ID}}")).Stdout);
        var missing = await _store.RunInAsync("partial", "inspect", "--platform", "linux/arm/v7", "multi:1");
        Assert.Equal("Error: image multi:1 has no linux/arm/v7 platform present (present: linux/arm64)\n", missing.Stderr);
        var platforms = JsonNode.Parse(indexJson)!["manifests"]!.AsArray().Select(m => (string?)m!["platform"]!["architecture"]);
        Assert.Equal(["arm64", "arm"], platforms);
    }

    private static Task<string> SkopeoAsync(params string[] args) => ToolAsync("/usr/bin/skopeo", args);

    private static async Task<string> ToolAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
