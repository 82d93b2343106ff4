using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Push;

/// <summary><c>strata push</c> to the real registry, read back by skopeo.</summary>
[Collection(RegistryGroup.Name)]
public sealed class PushVerbTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    /// <summary>
    /// An image in strata's store named REGISTRY/REPOSITORY:v1: pulled from that repository
    /// after skopeo filled it, or (<paramref name="viaRegistry"/> false) loaded from an archive,
    /// so the store knows no registry for its blobs.
    /// </summary>
    private async Task<(OciLayoutBuilder.Built Image, string Reference)> StoredImageAsync(string repository, int layerBytes = 0, bool viaRegistry = true)
    {
        var layout = _scratch.PathOf("layout-" + repository.Replace('/', '-'));
        var builder = new OciLayoutBuilder(layout);
        var big = layerBytes == 0 ? "two\n" : string.Concat(Enumerable.Range(0, layerBytes / 8).Select(i => i.ToString("x7") + "\n"));
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/one"] = "one " + repository + "\n" }, new Dictionary<string, string> { ["etc/two"] = big }], busybox: true, cmd: "cat /etc/one");
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var reference = $"{registry.Host}/{repository}:v1";
        if (viaRegistry)
        {
            await Skopeo.CopyToRegistryAsync(layout, "v1", reference);
            (await StrataAsync("pull", "-q", reference)).EnsureSuccess();
            return (image, reference);
        }
        var archive = layout + ".tar";
        System.Formats.Tar.TarFile.CreateFromDirectory(layout, archive, includeBaseDirectory: false);
        (await StrataAsync("load", "-q", "-i", archive)).EnsureSuccess();
        (await StrataAsync("tag", image.ConfigDigest, reference)).EnsureSuccess();
        return (image, reference);
    }

    [Fact]
    public async Task Push_to_a_new_repository_uploads_every_layer_and_skopeo_reads_the_same_manifest()
    {
        var (image, source) = await StoredImageAsync("push/source", viaRegistry: false);
        var target = $"{registry.Host}/push/target:v2";
        (await StrataAsync("tag", source, target)).EnsureSuccess();

        var push = (await StrataAsync("push", target)).EnsureSuccess();
        var lines = push.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal($"The push refers to repository [{registry.Host}/push/target]", lines[0]);
        Assert.Equal(image.LayerDigests.Select(d => $"{d[7..19]}: Pushed").Order(StringComparer.Ordinal), lines[1..^1].Order(StringComparer.Ordinal));
        Assert.Equal($"v2: digest: {image.ManifestDigest} size: {image.ManifestSize}", lines[^1]);

        var (digest, manifest) = await Skopeo.RawAsync(target);
        Assert.Equal(image.ManifestDigest, digest);
        Assert.Equal(image.ConfigDigest, (string?)manifest["config"]!["digest"]);
        var copy = _scratch.PathOf("copied");
        await Tool.OkAsync(Tool.Skopeo, "copy", "--src-tls-verify=false", "docker://" + target, $"oci:{copy}:v2");
        Assert.True(File.Exists(Path.Combine(copy, "blobs", "sha256", image.LayerDigests[1][7..])));
    }

    [Fact]
    public async Task A_second_push_finds_every_layer_in_the_registry()
    {
        var (image, reference) = await StoredImageAsync("push/again");
        var push = (await StrataAsync("push", reference)).EnsureSuccess();
        Assert.Equal(
            [
                $"The push refers to repository [{registry.Host}/push/again]",
                .. image.LayerDigests.Select(d => $"{d[7..19]}: Layer already exists").Order(StringComparer.Ordinal),
                $"v1: digest: {image.ManifestDigest} size: {image.ManifestSize}",
            ],
            [push.Stdout.Split('\n')[0], .. push.Stdout.TrimEnd('\n').Split('\n')[1..^1].Order(StringComparer.Ordinal), push.Stdout.TrimEnd('\n').Split('\n')[^1]]);
    }

    [Fact]
    public async Task Chunked_push_sends_blobs_in_patches_and_the_registry_keeps_the_same_digests()
    {
        var (image, source) = await StoredImageAsync("push/chunksrc", layerBytes: 300_000, viaRegistry: false);
        var target = $"{registry.Host}/push/chunked:v1";
        (await StrataAsync("tag", source, target)).EnsureSuccess();
        (await StrataAsync("push", "--chunk-size", "64k", "--max-concurrent", "1", target)).EnsureSuccess();
        var (digest, _) = await Skopeo.RawAsync(target);
        Assert.Equal(image.ManifestDigest, digest);
        var copy = _scratch.PathOf("copied");
        // skopeo verifies every blob's digest as it copies.
        await Tool.OkAsync(Tool.Skopeo, "copy", "--src-tls-verify=false", "docker://" + target, $"oci:{copy}:v1");
        Assert.Equal(new FileInfo(Path.Combine(copy, "blobs", "sha256", image.LayerDigests[1][7..])).Length,
            new FileInfo(Path.Combine(_scratch.PathOf("layout-push-chunksrc"), "blobs", "sha256", image.LayerDigests[1][7..])).Length);
    }

    [Fact]
    public async Task Push_of_an_image_the_store_lacks_fails_in_one_line()
    {
        var push = await StrataAsync("push", $"{registry.Host}/push/none:v1");
        Assert.Equal(1, push.ExitCode);
        Assert.Equal($"Error: An image does not exist locally with the tag: {registry.Host}/push/none\n", push.Stderr);
    }

    [Fact]
    public async Task Push_to_another_repository_of_the_registry_mounts_the_layers_pulled_from_there()
    {
        var (image, source) = await StoredImageAsync("push/mountsrc");
        var target = $"{registry.Host}/push/mounted:v1";
        (await StrataAsync("tag", source, target)).EnsureSuccess();
        var push = (await StrataAsync("push", target)).EnsureSuccess();
        Assert.Equal(image.LayerDigests.Select(d => $"{d[7..19]}: Mounted from push/mountsrc").Order(StringComparer.Ordinal),
            push.Stdout.TrimEnd('\n').Split('\n')[1..^1].Order(StringComparer.Ordinal));
        var (digest, _) = await Skopeo.RawAsync(target);
        Assert.Equal(image.ManifestDigest, digest);
    }
}
