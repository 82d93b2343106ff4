using System.Security.Cryptography;
using Strata.Core;
using Strata.Registry.Tests.Fixtures;
using Strata.Registry.Transport;

namespace Strata.Registry.Tests.Pull;

/// <summary>
/// A layer pulled into the store is hashed once, by the store's ingest; the registry's stream
/// only holds it to its descriptor's size. Wrong bytes are still refused naming both digests with
/// nothing stored, whether the blob comes as one stream, as parallel ranges or as a platform of an
/// index, and a body that goes on past its descriptor's size is refused as it arrives.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class VerifiedPullTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    /// <summary>Pushes an image of one layer of random text (so gzip leaves it ~300 kB) and flips one byte of that layer in the registry's storage; returns the layer's digest and the digest of the bytes now served.</summary>
    private async Task<(string Layer, string Served)> CorruptedAsync(string repository, int seed)
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var random = new Random(seed);
        var text = Convert.ToHexString(Enumerable.Range(0, 300_000).Select(_ => (byte)random.Next(256)).ToArray());
        // A path no other test's image has: the corrupted blob stays in the registry the collection
        // shares, and a push of the same bytes (ResumedPushTests' layer of the same seed) would find it there.
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["data/corrupted-by-verified-pull"] = text }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        await Skopeo.CopyToRegistryAsync(layout, "v1", $"{registry.Host}/{repository}:v1");
        var layer = image.LayerDigests[0];
        return (layer, Corrupt(layer, 200_000));
    }

    /// <summary>Flips byte <paramref name="at"/> of a blob the registry serves as it is; returns the digest of its new bytes.</summary>
    private string Corrupt(string digest, int at)
    {
        var data = Path.Combine(registry.Directory, "data", "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data");
        var bytes = File.ReadAllBytes(data);
        bytes[at] ^= 0xff;
        File.WriteAllBytes(data, bytes);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>No blob, no ingest and no scratch file of the pull is left in the store.</summary>
    private void AssertNothingStored(string layer)
    {
        Assert.False(File.Exists(Path.Combine(Store, "blobs", "sha256", layer[7..])));
        foreach (var scratch in new[] { Path.Combine(Store, "ingest"), Path.Combine(Store, "registry", "downloads") })
            Assert.Empty(Directory.Exists(scratch) ? Directory.GetFileSystemEntries(scratch) : []);
    }

    [Fact]
    public async Task Wrong_bytes_in_one_stream_fail_naming_both_digests_and_nothing_is_stored()
    {
        var (layer, served) = await CorruptedAsync("verified/stream", seed: 11);
        var reference = $"{registry.Host}/verified/stream:v1";

        var pull = await StrataAsync("pull", "-q", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: blob {layer}: digest mismatch: expected {layer}, got {served}\n", pull.Stderr);
        AssertNothingStored(layer);
        Assert.Equal(1, (await StrataAsync("inspect", reference)).ExitCode);
    }

    [Fact]
    public async Task Wrong_bytes_in_parallel_ranges_fail_naming_both_digests_and_nothing_is_stored()
    {
        var (layer, served) = await CorruptedAsync("verified/ranges", seed: 12);
        var reference = $"{registry.Host}/verified/ranges:v1";

        var pull = await StrataAsync("pull", "-q", "--range-threshold", "64k", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: blob {layer}: digest mismatch: expected {layer}, got {served}\n", pull.Stderr);
        AssertNothingStored(layer);
    }

    [Fact]
    public async Task Wrong_bytes_in_a_platform_of_an_index_fail_naming_both_digests_and_nothing_is_stored()
    {
        var layout = _scratch.PathOf("layout-multi");
        var builder = new OciLayoutBuilder(layout);
        var amd64 = builder.Image("amd64", [new Dictionary<string, string> { ["arch"] = "amd64 verified\n" }]);
        var arm64 = builder.Image("arm64", [new Dictionary<string, string> { ["arch"] = "arm64 verified\n" }]);
        var (indexDigest, indexSize) = builder.Index([(amd64, "amd64"), (arm64, "arm64")]);
        builder.Tag("multi", "application/vnd.oci.image.index.v1+json", indexDigest, indexSize);
        var reference = $"{registry.Host}/verified/multi:multi";
        await Skopeo.CopyToRegistryAsync(layout, "multi", reference, all: true);
        var layer = arm64.LayerDigests[0];
        // Past gzip's 10-byte header: the bytes still look like gzip, the digest does not match.
        var served = Corrupt(layer, 12);

        var pull = await StrataAsync("pull", "-q", "--all-platforms", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: blob {layer}: digest mismatch: expected {layer}, got {served}\n", pull.Stderr);
        AssertNothingStored(layer);
        Assert.Equal(1, (await StrataAsync("inspect", reference)).ExitCode);
    }

    [Fact]
    public async Task A_chunked_body_longer_than_its_descriptor_is_refused_before_a_byte_past_its_size_is_read()
    {
        var blob = new byte[100_000];
        new Random(13).NextBytes(blob);
        using var server = new ScriptedServer((request, response) =>
        {
            if (request.Url!.AbsolutePath == "/v2/") return [];
            // No Content-Length to check up front: only the bytes themselves say the body is too long.
            response.SendChunked = true;
            response.OutputStream.Write(blob);
            response.OutputStream.Write(new byte[50_000]);
            return null;
        });
        using var client = new RegistryClient(new RegistryOptions { MaxRetries = 0 });
        var reference = ImageReference.Parse($"{server.Host}/app:v1");
        var descriptor = new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute(blob), blob.Length);

        var stream = await client.OpenUnhashedBlobAsync(reference, descriptor, null, "the layer", CancellationToken.None);
        await using (stream)
        {
            var read = new MemoryStream();
            var buffer = new byte[16 << 10];
            var e = await Assert.ThrowsAsync<DigestMismatchException>(async () =>
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0) read.Write(buffer, 0, n);
            });
            Assert.Equal("the layer is longer than the 100000 bytes its descriptor says", e.Message);
            Assert.Equal(blob, read.ToArray());
        }
    }
}
