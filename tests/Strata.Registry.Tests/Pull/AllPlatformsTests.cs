using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Pull;

/// <summary>
/// <c>pull --all-platforms</c> keeps a hand-made two-platform index and both its children;
/// <c>push --all-platforms</c> (and a plain push of a complete index, as docker does) sends the
/// index back byte for byte.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class AllPlatformsTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    private async Task<(OciLayoutBuilder.Built Amd64, OciLayoutBuilder.Built Arm64, string IndexDigest, string Reference)> PushedIndexAsync(string repository)
    {
        var layout = _scratch.PathOf("layout-" + repository.Replace('/', '-'));
        var builder = new OciLayoutBuilder(layout);
        var amd64 = builder.Image("amd64", [new Dictionary<string, string> { ["arch"] = "amd64\n" }]);
        var arm64 = builder.Image("arm64", [new Dictionary<string, string> { ["arch"] = "arm64\n" }]);
        var (indexDigest, indexSize) = builder.Index([(amd64, "amd64"), (arm64, "arm64")]);
        builder.Tag("multi", "application/vnd.oci.image.index.v1+json", indexDigest, indexSize);
        var reference = $"{registry.Host}/{repository}:multi";
        await Skopeo.CopyToRegistryAsync(layout, "multi", reference, all: true);
        return (amd64, arm64, indexDigest, reference);
    }

    [Fact]
    public async Task Pull_all_platforms_keeps_the_index_and_both_children()
    {
        var (amd64, arm64, indexDigest, reference) = await PushedIndexAsync("allplat/pull");

        var pull = (await StrataAsync("pull", "--all-platforms", reference)).EnsureSuccess();
        var lines = pull.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("multi: Pulling from allplat/pull", lines[0]);
        Assert.Equal($"Digest: {indexDigest}", lines[^3]);
        Assert.Equal($"Status: Downloaded newer image for {reference}", lines[^2]);

        // The name is the index (docker's containerd store shows its digest as the ID); each platform is its own image.
        Assert.Equal($"{indexDigest} amd64", (await StrataAsync("inspect", "--platform", "linux/amd64", "--format", "{{.Id}} {{.Architecture}}", reference)).EnsureSuccess().Stdout.Trim());
        Assert.Equal($"{indexDigest} arm64", (await StrataAsync("inspect", "--platform", "linux/arm64", "--format", "{{.Id}} {{.Architecture}}", reference)).EnsureSuccess().Stdout.Trim());
        Assert.Equal(amd64.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", amd64.ConfigDigest)).EnsureSuccess().Stdout.Trim());
        Assert.Equal(arm64.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", arm64.ConfigDigest)).EnsureSuccess().Stdout.Trim());
        var tree = (await StrataAsync("images", "--tree")).EnsureSuccess().Stdout.TrimEnd('\n').Split('\n')
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        Assert.Equal(
            [
                "IMAGE ID CONTENT SIZE PRESENT",
                $"{reference} {indexDigest[7..19]} 12B",
                $"├─ linux/amd64 {amd64.ManifestDigest[7..19]} 6B yes",
                $"└─ linux/arm64 {arm64.ManifestDigest[7..19]} 6B yes",
            ],
            tree);

        var again = (await StrataAsync("pull", "--all-platforms", reference)).EnsureSuccess();
        Assert.Contains($"Status: Image is up to date for {reference}\n", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_all_platforms_round_trips_the_index_digest_byte_for_byte()
    {
        var (amd64, arm64, indexDigest, reference) = await PushedIndexAsync("allplat/source");
        (await StrataAsync("pull", "-q", "--all-platforms", reference)).EnsureSuccess();
        var copy = $"{registry.Host}/allplat/copy:v1";
        (await StrataAsync("tag", reference, copy)).EnsureSuccess();

        var push = (await StrataAsync("push", "--all-platforms", copy)).EnsureSuccess();
        var (served, document) = await Skopeo.RawAsync(copy);
        Assert.EndsWith($"\nv1: digest: {indexDigest} size: {document.ToJsonString().Length}\n", push.Stdout, StringComparison.Ordinal);
        Assert.Equal(indexDigest, served);
        Assert.Equal([amd64.ManifestDigest, arm64.ManifestDigest], document["manifests"]!.AsArray().Select(m => (string?)m!["digest"]));

        // docker pushes a complete index whole without being asked.
        var plain = $"{registry.Host}/allplat/plain:v1";
        (await StrataAsync("tag", reference, plain)).EnsureSuccess();
        (await StrataAsync("push", "-q", plain)).EnsureSuccess();
        Assert.Equal(indexDigest, (await Skopeo.RawAsync(plain)).Digest);
    }

    [Fact]
    public async Task Push_of_an_index_missing_a_platform_sends_the_host_platform_image_alone_as_docker_does()
    {
        // An OCI layout whose index lists two platforms but holds only amd64 (as an archive of one platform does).
        var layout = _scratch.PathOf("layout-partial");
        var builder = new OciLayoutBuilder(layout);
        var amd64 = builder.Image("amd64", [new Dictionary<string, string> { ["arch"] = "amd64\n" }]);
        var arm64 = builder.Image("arm64", [new Dictionary<string, string> { ["arch"] = "arm64\n" }]);
        var (indexDigest, indexSize) = builder.Index([(amd64, "amd64"), (arm64, "arm64")]);
        builder.Tag("partial", "application/vnd.oci.image.index.v1+json", indexDigest, indexSize);
        File.Delete(Path.Combine(layout, "blobs", "sha256", arm64.ManifestDigest[7..]));
        var archive = _scratch.PathOf("partial.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(layout, archive, includeBaseDirectory: false);
        (await StrataAsync("load", "-i", archive)).EnsureSuccess();
        var target = $"{registry.Host}/allplat/partial:v1";
        (await StrataAsync("tag", indexDigest, target)).EnsureSuccess();

        var push = (await StrataAsync("push", target)).EnsureSuccess();
        Assert.Equal($"Note: not every platform of {target} is present: pushing only linux/amd64 (--all-platforms pushes the index with every platform present)\n", push.Stderr);
        Assert.EndsWith($"\nv1: digest: {amd64.ManifestDigest} size: {amd64.ManifestSize}\n", push.Stdout, StringComparison.Ordinal);
        Assert.Equal(amd64.ManifestDigest, (await Skopeo.RawAsync(target)).Digest);
    }
}
