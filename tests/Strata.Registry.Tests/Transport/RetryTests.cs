using System.Net;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Transport;

/// <summary>Transient answers are retried (Polly): a proxy in front of the real registry scripts them.</summary>
[Collection(RegistryGroup.Name)]
public sealed class RetryTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Pull_retries_a_429_with_Retry_After_and_a_503_then_completes()
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/retry"] = "retry\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        await Skopeo.CopyToRegistryAsync(layout, "v1", $"{registry.Host}/retry/image:v1");

        using var front = new FaultProxy(registry.Host);
        front.Fail("/manifests/v1", HttpStatusCode.TooManyRequests, retryAfter: "1");
        front.Fail("/manifests/v1", HttpStatusCode.ServiceUnavailable);
        front.Fail("/blobs/" + image.LayerDigests[0], HttpStatusCode.BadGateway);
        var reference = $"{front.Host}/retry/image:v1";
        var pull = (await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), "pull", "-q", reference])).EnsureSuccess();
        Assert.Equal(reference + "\n", pull.Stdout);
        var manifestRequests = front.Log.Select(l => l.ToString()).Where(l => l.StartsWith("GET /v2/retry/image/manifests/v1 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["GET /v2/retry/image/manifests/v1 -> 429", "GET /v2/retry/image/manifests/v1 -> 503", "GET /v2/retry/image/manifests/v1 -> 200"], manifestRequests);
        var layerRequests = front.Log.Select(l => l.ToString()).Where(l => l.Contains("/blobs/" + image.LayerDigests[0], StringComparison.Ordinal)).ToList();
        Assert.Equal([$"GET /v2/retry/image/blobs/{image.LayerDigests[0]} -> 502", $"GET /v2/retry/image/blobs/{image.LayerDigests[0]} -> 200"], layerRequests);
    }

    [Fact]
    public async Task Push_retries_a_503_on_the_upload_and_a_429_with_Retry_After_on_the_manifest_then_completes()
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/retry"] = "push retry\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        System.Formats.Tar.TarFile.CreateFromDirectory(layout, layout + ".tar", includeBaseDirectory: false);
        using var front = new FaultProxy(registry.Host);
        var reference = $"{front.Host}/retry/pushed:v1";
        var store = _scratch.PathOf("store");
        (await Tool.RunAsync(StrataCli.Binary, ["--root", store, "load", "-q", "-i", layout + ".tar"])).EnsureSuccess();
        (await Tool.RunAsync(StrataCli.Binary, ["--root", store, "tag", image.ConfigDigest, reference])).EnsureSuccess();
        front.Fail("/blobs/uploads/", HttpStatusCode.ServiceUnavailable);
        front.Fail("/manifests/v1", HttpStatusCode.TooManyRequests, retryAfter: "1");

        var push = (await Tool.RunAsync(StrataCli.Binary, ["--root", store, "push", reference])).EnsureSuccess();

        Assert.EndsWith($"v1: digest: {image.ManifestDigest} size: {image.ManifestSize}\n", push.Stdout);
        Assert.Equal(["POST /v2/retry/pushed/blobs/uploads/ -> 503", "POST /v2/retry/pushed/blobs/uploads/ -> 202"],
            front.Log.Select(l => l.ToString()).Where(l => l.StartsWith("POST ", StringComparison.Ordinal)).Take(2));
        Assert.Equal(["PUT /v2/retry/pushed/manifests/v1 -> 429", "PUT /v2/retry/pushed/manifests/v1 -> 201"],
            front.Log.Select(l => l.ToString()).Where(l => l.Contains("/manifests/", StringComparison.Ordinal)));
        var (digest, _) = await Skopeo.RawAsync($"{registry.Host}/retry/pushed:v1");
        Assert.Equal(image.ManifestDigest, digest);
    }

    [Fact]
    public async Task A_registry_that_stays_unavailable_fails_in_one_line_after_the_retries()
    {
        using var front = new FaultProxy(registry.Host);
        for (int i = 0; i < 5; i++) front.Fail("/manifests/v1", HttpStatusCode.ServiceUnavailable);
        var reference = $"{front.Host}/retry/never:v1";
        var pull = await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), "pull", reference]);
        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: the registry refused the request (HTTP 503 Service Unavailable)\n", pull.Stderr);
        Assert.Equal(5, front.Log.Count(l => l.Outcome == "503"));
    }
}
