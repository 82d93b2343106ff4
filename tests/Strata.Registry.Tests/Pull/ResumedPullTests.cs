using System.Security.Cryptography;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Pull;

/// <summary>
/// Pulls through <see cref="FaultProxy"/> in front of the real registry: a blob whose connection
/// ends part-way resumes with <c>Range</c> from the bytes received, a registry ignoring ranges is
/// read past them, wrong bytes after a resume are refused whole, and big layers come as
/// parallel ranges.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class ResumedPullTests(RegistryServer registry) : IDisposable
{
    private const int BigFileBytes = 600_000;
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    /// <summary>An image of a small layer and a big one (random text, so gzip leaves it big), put in the registry by skopeo.</summary>
    private async Task<(OciLayoutBuilder.Built Image, string Big, long BigSize)> PushedAsync(string repository, int seed)
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var random = new Random(seed);
        var text = Convert.ToHexString(Enumerable.Range(0, BigFileBytes / 2).Select(_ => (byte)random.Next(256)).ToArray());
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/small"] = "small\n" }, new Dictionary<string, string> { ["data/big"] = text }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        await Skopeo.CopyToRegistryAsync(layout, "v1", $"{registry.Host}/{repository}:v1");
        var big = image.LayerDigests[1];
        return (image, big, new FileInfo(Path.Combine(layout, "blobs", "sha256", big[7..])).Length);
    }

    private List<ProxiedRequest> RequestsFor(FaultProxy proxy, string digest) => [.. proxy.Log.Where(r => r.Path.EndsWith("/blobs/" + digest, StringComparison.Ordinal))];

    private void AssertStored(OciLayoutBuilder.Built image, string big, long bigSize)
    {
        var blob = Path.Combine(Store, "blobs", "sha256", big[7..]);
        Assert.Equal(bigSize, new FileInfo(blob).Length);
        Assert.Equal(big, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob))));
        Assert.Empty(Directory.Exists(Path.Combine(Store, "registry", "downloads")) ? Directory.GetFileSystemEntries(Path.Combine(Store, "registry", "downloads")) : []);
    }

    [Fact]
    public async Task A_blob_whose_body_ends_early_resumes_with_a_Range_request_from_the_bytes_received()
    {
        var (image, big, bigSize) = await PushedAsync("resume/cut", seed: 1);
        using var proxy = new FaultProxy(registry.Host);
        proxy.Add(new ProxyFault.CutResponse("/blobs/" + big, 100_000));
        var reference = $"{proxy.Host}/resume/cut:v1";

        (await StrataAsync("pull", "-q", reference)).EnsureSuccess();

        Assert.Equal([("GET", null, "200 cut"), ("GET", "bytes=100000-", "206")], RequestsFor(proxy, big).Select(r => (r.Method, r.Range, r.Outcome)));
        Assert.Equal(image.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        AssertStored(image, big, bigSize);
    }

    [Fact]
    public async Task A_registry_that_answers_the_Range_request_with_200_is_read_past_the_bytes_already_received()
    {
        var (image, big, bigSize) = await PushedAsync("resume/whole", seed: 2);
        using var proxy = new FaultProxy(registry.Host);
        proxy.Add(new ProxyFault.CutResponse("/blobs/" + big, 100_000));
        proxy.Add(new ProxyFault.DropRange("/blobs/" + big));
        var reference = $"{proxy.Host}/resume/whole:v1";

        (await StrataAsync("pull", "-q", reference)).EnsureSuccess();

        Assert.Equal([("GET", null, "200 cut"), ("GET", "bytes=100000-", "200")], RequestsFor(proxy, big).Select(r => (r.Method, r.Range, r.Outcome)));
        Assert.Equal(image.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        AssertStored(image, big, bigSize);
    }

    [Fact]
    public async Task Wrong_bytes_after_a_resume_fail_naming_both_digests_and_nothing_is_stored()
    {
        var (_, big, _) = await PushedAsync("resume/corrupt", seed: 3);
        // The registry serves its files as they are: one byte changed past the cut is what a bad resume would bring.
        var data = Path.Combine(registry.Directory, "data", "docker", "registry", "v2", "blobs", "sha256", big[7..9], big[7..], "data");
        var bytes = await File.ReadAllBytesAsync(data);
        bytes[200_000] ^= 0xff;
        await File.WriteAllBytesAsync(data, bytes);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var proxy = new FaultProxy(registry.Host);
        proxy.Add(new ProxyFault.CutResponse("/blobs/" + big, 100_000));
        var reference = $"{proxy.Host}/resume/corrupt:v1";

        var pull = await StrataAsync("pull", "-q", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: blob {big}: digest mismatch: expected {big}, got {actual}\n", pull.Stderr);
        Assert.Equal([("GET", null, "200 cut"), ("GET", "bytes=100000-", "206")], RequestsFor(proxy, big).Select(r => (r.Method, r.Range, r.Outcome)));
        Assert.False(File.Exists(Path.Combine(Store, "blobs", "sha256", big[7..])));
        StrataExit.AssertFailed((await StrataAsync("inspect", reference)).ExitCode, "(await StrataAsync(\"inspect\", reference))");
    }

    [Fact]
    public async Task A_layer_above_the_threshold_comes_as_parallel_ranges_verified_whole()
    {
        var (image, big, bigSize) = await PushedAsync("ranges/parallel", seed: 4);
        using var proxy = new FaultProxy(registry.Host);
        var reference = $"{proxy.Host}/ranges/parallel:v1";

        (await StrataAsync("pull", "-q", "--range-threshold", "64k", reference)).EnsureSuccess();

        long part = (bigSize + 3) / 4;
        Assert.Equal(
            Enumerable.Range(0, 4).Select(i => ("GET", (string?)$"bytes={i * part}-{Math.Min(bigSize, (i + 1) * part) - 1}", "206")).Order(),
            RequestsFor(proxy, big).Select(r => (r.Method, r.Range, r.Outcome)).Order());
        // The small layer is under the threshold: one plain request.
        Assert.Equal([("GET", null, "200")], RequestsFor(proxy, image.LayerDigests[0]).Select(r => (r.Method, r.Range, r.Outcome)));
        Assert.Equal(image.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        AssertStored(image, big, bigSize);
    }

    [Fact]
    public async Task A_part_whose_body_ends_early_resumes_within_its_range()
    {
        var (image, big, bigSize) = await PushedAsync("ranges/cut", seed: 5);
        using var proxy = new FaultProxy(registry.Host);
        // The first request for the blob is the first part's, sent before the others start.
        proxy.Add(new ProxyFault.CutResponse("/blobs/" + big, 50_000));
        var reference = $"{proxy.Host}/ranges/cut:v1";

        (await StrataAsync("pull", "-q", "--range-threshold", "64k", reference)).EnsureSuccess();

        long part = (bigSize + 3) / 4;
        var requests = RequestsFor(proxy, big);
        Assert.Equal(("GET", $"bytes=0-{part - 1}", "206 cut"), (requests[0].Method, requests[0].Range, requests[0].Outcome));
        Assert.Contains(("GET", $"bytes=50000-{part - 1}", "206"), requests.Select(r => (r.Method, r.Range, r.Outcome)));
        Assert.Equal(5, requests.Count);
        AssertStored(image, big, bigSize);
    }

    [Fact]
    public async Task A_registry_that_ignores_ranges_is_read_as_one_stream()
    {
        var (image, big, bigSize) = await PushedAsync("ranges/ignored", seed: 6);
        using var proxy = new FaultProxy(registry.Host);
        proxy.Add(new ProxyFault.DropRange("/blobs/" + big));
        var reference = $"{proxy.Host}/ranges/ignored:v1";

        (await StrataAsync("pull", "-q", "--range-threshold", "64k", reference)).EnsureSuccess();

        long part = (bigSize + 3) / 4;
        Assert.Equal([("GET", $"bytes=0-{part - 1}", "200")], RequestsFor(proxy, big).Select(r => (r.Method, (string?)r.Range, r.Outcome)));
        Assert.Equal(image.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        AssertStored(image, big, bigSize);
    }
}
