using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Push;

/// <summary>
/// Pushes through <see cref="FaultProxy"/> in front of the real registry whose upload requests
/// are reset part-way: the upload goes on from the offset the registry reports, or, when the
/// registry lost the session (distribution does when bytes of the cut request arrived), in a new
/// session; skopeo then reads the same manifest and verifies every blob.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class ResumedPushTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    /// <summary>A two-layer image (the second ~330 kB of gzip) loaded into strata's store from an archive and tagged <paramref name="reference"/>.</summary>
    private async Task<OciLayoutBuilder.Built> StoredAsync(string reference, int seed)
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var random = new Random(seed);
        var text = Convert.ToHexString(Enumerable.Range(0, 300_000).Select(_ => (byte)random.Next(256)).ToArray());
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/small"] = "small\n" }, new Dictionary<string, string> { ["data/big"] = text }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var archive = layout + ".tar";
        System.Formats.Tar.TarFile.CreateFromDirectory(layout, archive, includeBaseDirectory: false);
        (await StrataAsync("load", "-q", "-i", archive)).EnsureSuccess();
        (await StrataAsync("tag", image.ConfigDigest, reference)).EnsureSuccess();
        return image;
    }

    private async Task AssertSkopeoReadsAsync(string reference, OciLayoutBuilder.Built image)
    {
        var (digest, _) = await Skopeo.RawAsync(reference);
        Assert.Equal(image.ManifestDigest, digest);
        // skopeo verifies every blob's digest as it copies.
        await Tool.OkAsync(Tool.Skopeo, "copy", "--src-tls-verify=false", "docker://" + reference, $"oci:{_scratch.PathOf("copied")}:v1");
    }

    [Fact]
    public async Task A_chunk_cut_mid_body_goes_on_from_the_offset_the_registry_reports()
    {
        using var proxy = new FaultProxy(registry.Host);
        var reference = $"{proxy.Host}/resume/chunked:v1";
        var image = await StoredAsync(reference, seed: 11);
        // The third 64 KiB chunk of the big layer, reset after 10 kB; the registry sees none of it.
        proxy.Add(new ProxyFault.CutRequest("/blobs/uploads/", "PATCH", 10_000, ForwardPartial: false, ContentRangeFrom: 131072));

        var push = (await StrataAsync("push", "--chunk-size", "64k", "--max-concurrent", "1", reference)).EnsureSuccess();

        Assert.Contains($"{image.LayerDigests[1][7..19]}: Resuming upload at byte 131072\n", push.Stdout);
        var uploads = proxy.Log.Where(r => r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)).ToList();
        int cut = uploads.FindIndex(r => r.Outcome == "cut");
        Assert.Equal(
            [
                ("PATCH", "131072-196607", "cut"),
                ("GET", null, "204"),
                ("PATCH", "131072-196607", "202"),
                ("PATCH", "196608-262143", "202"),
            ],
            uploads[cut..(cut + 4)].Select(r => (r.Method, r.ContentRange, r.Outcome)));
        // The same session to its closing PUT: no new upload was started for the big layer.
        int close = uploads.FindIndex(cut, r => r.Method == "PUT");
        Assert.DoesNotContain(uploads[cut..close], r => r.Method == "POST");
        Assert.Equal(uploads[cut].Path, uploads[cut + 1].Path);
        await AssertSkopeoReadsAsync($"{registry.Host}/resume/chunked:v1", image);
    }

    [Fact]
    public async Task A_monolithic_upload_cut_after_the_registry_took_some_bytes_goes_again_in_a_new_session()
    {
        using var proxy = new FaultProxy(registry.Host);
        var reference = $"{proxy.Host}/resume/whole:v1";
        var image = await StoredAsync(reference, seed: 12);
        // distribution keeps the 10 kB that arrived and then refuses the session (its state says offset 0).
        proxy.Add(new ProxyFault.CutRequest("/blobs/uploads/", "PUT", 10_000, ForwardPartial: true));

        var push = (await StrataAsync("push", "--max-concurrent", "1", reference)).EnsureSuccess();

        Assert.Contains($"{image.LayerDigests[1][7..19]}: Restarting upload\n", push.Stdout);
        var requests = proxy.Log.ToList();
        int cut = requests.FindIndex(r => r.Outcome == "cut");
        Assert.Equal(
            [
                ("PUT", "cut"),
                ("GET", "404"),
                ("HEAD", "404"),
                ("POST", "202"),
                ("PUT", "201"),
            ],
            requests[cut..(cut + 5)].Select(r => (r.Method, r.Outcome)));
        Assert.EndsWith("/blobs/" + image.LayerDigests[1], requests[cut + 2].Path, StringComparison.Ordinal);
        await AssertSkopeoReadsAsync($"{registry.Host}/resume/whole:v1", image);
    }
}
