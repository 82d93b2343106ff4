using System.Text.Json.Nodes;

namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// <c>build --platform linux/amd64,linux/arm64 --push</c> to a real registry (Debian
/// docker-registry on 127.0.0.1): the registry holds an index of the two, and each platform
/// pulled back into an empty store is the image that was built (same image ID, same file).
/// </summary>
[Collection(MultiPlatformGroup.Name)]
public sealed class IndexPushTests(MultiPlatformHost host) : IAsyncLifetime
{
    private readonly RegistryServer _registry = new();

    public Task InitializeAsync() => _registry.InitializeAsync();

    public Task DisposeAsync() => _registry.DisposeAsync();

    [Fact]
    public async Task Pushed_index_is_in_the_registry_and_each_platform_pulls_back()
    {
        var strata = await host.NewStoreAsync("push");
        var context = host.NewDirectory("context-push");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox:multi\nRUN uname -m > /arch\n");
        var reference = $"{_registry.Host}/multi/uname:1";

        var build = (await strata.RunAsync("build", "--progress", "plain", "--platform", "linux/amd64,linux/arm64", "-t", reference, "--push", context)).EnsureSuccess();

        var raw = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://" + reference])).EnsureSuccess().Stdout;
        var index = JsonNode.Parse(raw)!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)index["mediaType"]);
        Assert.Equal(["linux/amd64", "linux/arm64"], index["manifests"]!.AsArray().Select(m => $"{m!["platform"]!["os"]}/{m["platform"]!["architecture"]}"));
        var pushed = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
        Assert.Contains($"pushing manifest list for {reference}@{pushed} done\n", build.Stderr, StringComparison.Ordinal);

        var local = new OciLayoutReader(strata.StoreRoot);
        var built = local.Document((string)local.Root(reference)["digest"]!)["manifests"]!.AsArray();
        foreach (var (child, uname) in built.Zip(["x86_64", "aarch64"]))
        {
            var platform = $"linux/{child!["platform"]!["architecture"]}";
            var builtId = (string)local.Document((string)child["digest"]!)["config"]!["digest"]!;
            var fresh = new StrataCli(Path.Combine(host.Root, "stores", "pulled-" + platform.Replace('/', '_')));
            (await fresh.RunAsync("pull", "--platform", platform, reference)).EnsureSuccess();
            Assert.Equal(builtId + "\n", (await fresh.RunAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout);
            Assert.Equal(child["platform"]!["architecture"] + "\n", (await fresh.RunAsync("inspect", "--format", "{{.Architecture}}", reference)).EnsureSuccess().Stdout);
            var unpacked = Path.Combine(host.Root, "unpacked-" + platform.Replace('/', '_'));
            (await fresh.RunAsync("image", "unpack", reference, unpacked)).EnsureSuccess();
            Assert.Equal(uname + "\n", await File.ReadAllTextAsync(Path.Combine(unpacked, "arch")));
        }
    }
}
