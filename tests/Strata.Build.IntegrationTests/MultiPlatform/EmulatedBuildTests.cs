using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// <c>strata build --platform linux/amd64,linux/arm64</c> with an emulated RUN: each image's RUN
/// ran as its architecture (<c>uname -m</c>), the tag names one index of the two with the
/// platform in every config and index entry, skopeo reads and copies the OCI archive output,
/// the local output has a directory per platform, SOURCE_DATE_EPOCH gives one index digest in
/// two stores, and the cache is per platform with misses naming the platform.
/// </summary>
[Collection(MultiPlatformGroup.Name)]
public sealed class EmulatedBuildTests(MultiPlatformHost host)
{
    private const string Uname = "FROM busybox:multi\nRUN uname -m > /arch\n";
    private const string Platforms = "linux/amd64,linux/arm64";
    private static readonly (string Arch, string Uname)[] Expected = [("amd64", "x86_64"), ("arm64", "aarch64")];

    [Fact]
    public async Task Each_platform_runs_as_its_architecture_and_the_tag_names_one_index_of_both()
    {
        var strata = await host.NewStoreAsync("uname");
        var context = Context("uname", Uname);

        var build = (await strata.RunAsync("build", "--progress", "plain", "--platform", Platforms, "-t", "uname:1", context)).EnsureSuccess();

        var layout = new OciLayoutReader(strata.StoreRoot);
        var root = layout.Root("uname:1");
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)root["mediaType"]);
        var index = layout.Document((string)root["digest"]!);
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)index["mediaType"]);
        var children = index["manifests"]!.AsArray();
        Assert.Equal(2, children.Count);
        foreach (var (child, (arch, uname)) in children.Zip(Expected))
        {
            Assert.Equal("linux", (string?)child!["platform"]!["os"]);
            Assert.Equal(arch, (string?)child["platform"]!["architecture"]);
            Assert.Null(child["platform"]!["variant"]);
            var manifest = layout.Document((string)child["digest"]!);
            var config = layout.Document((string)manifest["config"]!["digest"]!);
            Assert.Equal("linux", (string?)config["os"]);
            Assert.Equal(arch, (string?)config["architecture"]);
            Assert.Equal(uname + "\n", layout.ReadFile((string)child["digest"]!, "arch"));
        }
        // Each RUN says the platform it ran as, as buildx labels steps.
        var titles = StepTitles(build.Stderr);
        Assert.Contains("[linux/amd64 2/2] RUN uname -m > /arch", titles);
        Assert.Contains("[linux/arm64 2/2] RUN uname -m > /arch", titles);
        Assert.Contains($"exporting manifest list {root["digest"]} done\n", build.Stderr, StringComparison.Ordinal);
        Assert.Contains("naming to docker.io/library/uname:1 done\n", build.Stderr, StringComparison.Ordinal);

        // Built again: every step cached, and -q prints the same index digest.
        var again = (await strata.RunAsync("build", "-q", "--platform", Platforms, "-t", "uname:1", context)).EnsureSuccess();
        Assert.Equal((string?)root["digest"] + "\n", again.Stdout);
    }

    [Fact]
    public async Task Oci_archive_output_is_read_and_copied_whole_by_skopeo_and_local_output_has_a_directory_per_platform()
    {
        var strata = await host.NewStoreAsync("outputs");
        var context = Context("outputs", Uname);
        var dir = host.NewDirectory("outputs-written");
        var archive = Path.Combine(dir, "image.tar");
        var local = Path.Combine(dir, "local");

        var build = (await strata.RunAsync("build", "-q", "--platform", Platforms, "-t", "outputs:1",
            "--output", $"type=oci,dest={archive}", "--output", $"type=local,dest={local}", context)).EnsureSuccess();
        var digest = build.Stdout.Trim();

        var raw = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "oci-archive:" + archive])).EnsureSuccess().Stdout;
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw))));
        var index = JsonNode.Parse(raw)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)index["mediaType"]);
        Assert.Equal(["amd64", "arm64"], index["manifests"]!.AsArray().Select(m => (string?)m!["platform"]!["architecture"]));

        var copied = Path.Combine(dir, "copied");
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--all", "oci-archive:" + archive, $"oci:{copied}:outputs"])).EnsureSuccess();
        // skopeo compresses the layers the store keeps uncompressed, so manifests (and the index)
        // get new digests; the platforms, image IDs and files are the built ones.
        var layout = new OciLayoutReader(copied);
        var copiedChildren = layout.Document((string)layout.Root("outputs")["digest"]!)["manifests"]!.AsArray();
        var built = new OciLayoutReader(strata.StoreRoot);
        var builtChildren = built.Document(digest)["manifests"]!.AsArray();
        Assert.Equal(2, copiedChildren.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(builtChildren[i]!["platform"]!.ToJsonString(), copiedChildren[i]!["platform"]!.ToJsonString());
            Assert.Equal((string?)built.Document((string)builtChildren[i]!["digest"]!)["config"]!["digest"], (string?)layout.Document((string)copiedChildren[i]!["digest"]!)["config"]!["digest"]);
            Assert.Equal(Expected[i].Uname + "\n", layout.ReadFile((string)copiedChildren[i]!["digest"]!, "arch"));
        }

        Assert.Equal(["linux_amd64", "linux_arm64"], Directory.GetFileSystemEntries(local).Select(Path.GetFileName).Order());
        foreach (var (arch, uname) in Expected)
        {
            Assert.Equal(uname + "\n", await File.ReadAllTextAsync(Path.Combine(local, "linux_" + arch, "arch")));
            Assert.True(File.Exists(Path.Combine(local, "linux_" + arch, "bin", "busybox")));
        }
    }

    [Fact]
    public async Task Source_date_epoch_gives_the_same_index_digest_in_two_stores()
    {
        var epoch = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var context = Context("epoch", Uname);
        var digests = new List<string>();
        foreach (var name in new[] { "epoch-a", "epoch-b" })
        {
            var strata = await host.NewStoreAsync(name, epoch);
            var build = (await strata.RunAsync(["build", "-q", "--platform", Platforms, "-t", "epoch:1", context], new RunOptions().WithEnvironment(epoch))).EnsureSuccess();
            digests.Add(build.Stdout.Trim());
            Assert.Equal(digests[^1], (string?)new OciLayoutReader(strata.StoreRoot).Root("epoch:1")["digest"]);
        }

        Assert.Matches("^sha256:[0-9a-f]{64}$", digests[0]);
        Assert.Equal(digests[0], digests[1]);
    }

    [Fact]
    public async Task Cache_is_per_platform_and_a_miss_names_its_platform()
    {
        var strata = await host.NewStoreAsync("cache");
        var context = Context("cache", "FROM busybox:multi\nCOPY a.txt /a.txt\nRUN uname -m >> /a.txt\n");
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "one\n");
        string[] args = ["build", "--progress", "plain", "--platform", Platforms, "-t", "cache:1", context];
        (await strata.RunAsync(args)).EnsureSuccess();

        var cached = (await strata.RunAsync(args)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "two\n");
        var changed = (await strata.RunAsync(args)).EnsureSuccess();

        Assert.DoesNotContain("CACHE MISS", cached.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, Regex.Count(cached.Stderr, @"^#\d+ CACHED$", RegexOptions.Multiline));
        var misses = Regex.Matches(changed.Stderr, @"^#\d+ CACHE MISS: (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(
            ["linux/amd64: file changed: a.txt", "linux/amd64: parent step [linux/amd64 2/3] rebuilt", "linux/arm64: file changed: a.txt", "linux/arm64: parent step [linux/arm64 2/3] rebuilt"],
            misses);
        var layout = new OciLayoutReader(strata.StoreRoot);
        foreach (var (child, (_, uname)) in layout.Document((string)layout.Root("cache:1")["digest"]!)["manifests"]!.AsArray().Zip(Expected))
            Assert.Equal($"two\n{uname}\n", layout.ReadFile((string)child!["digest"]!, "a.txt"));
    }

    /// <summary>The names of the steps a plain progress log started (<c>#N name</c>).</summary>
    internal static List<string> StepTitles(string log) =>
        [.. Regex.Matches(log, @"^#\d+ (\[.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];

    private string Context(string name, string dockerfile)
    {
        var dir = host.NewDirectory("context-" + name);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        return dir;
    }
}
