using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Pull;

/// <summary><c>strata pull</c> against the real registry, images put there by skopeo.</summary>
[Collection(RegistryGroup.Name)]
public sealed class PullVerbTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    private async Task<(OciLayoutBuilder.Built Image, string Reference)> PushedImageAsync(string repository, bool busybox = false)
    {
        var layout = _scratch.PathOf("layout-" + repository.Replace('/', '-'));
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/one"] = "one\n" }, new Dictionary<string, string> { ["etc/two"] = "two\n" }], busybox, cmd: "cat /etc/one /etc/two");
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var reference = $"{registry.Host}/{repository}:v1";
        await Skopeo.CopyToRegistryAsync(layout, "v1", reference);
        return (image, reference);
    }

    [Fact]
    public async Task Pull_of_an_image_pushed_by_skopeo_prints_dockers_lines_and_keeps_the_config_digest_as_id()
    {
        var (image, reference) = await PushedImageAsync("pull/plain");
        var (manifestDigest, _) = await Skopeo.RawAsync(reference);
        Assert.Equal(image.ManifestDigest, manifestDigest);

        var pull = (await StrataAsync("pull", reference)).EnsureSuccess();
        var lines = pull.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("v1: Pulling from pull/plain", lines[0]);
        var layerLines = lines[1..^3].Order(StringComparer.Ordinal).ToArray();
        var expectedLayerLines = image.LayerDigests.SelectMany(d => new[] { $"{d[7..19]}: Pull complete", $"{d[7..19]}: Pulling fs layer" }).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedLayerLines, layerLines);
        Assert.Equal($"Digest: {image.ManifestDigest}", lines[^3]);
        Assert.Equal($"Status: Downloaded newer image for {reference}", lines[^2]);
        Assert.Equal(reference, lines[^1]);

        var id = (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
    }

    [Fact]
    public async Task A_second_pull_finds_every_layer_and_says_the_image_is_up_to_date()
    {
        var (image, reference) = await PushedImageAsync("pull/again");
        (await StrataAsync("pull", "-q", reference)).EnsureSuccess();

        var again = (await StrataAsync("pull", reference)).EnsureSuccess();
        var lines = again.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(
            [
                "v1: Pulling from pull/again",
                .. image.LayerDigests.Select(d => $"{d[7..19]}: Already exists"),
                $"Digest: {image.ManifestDigest}",
                $"Status: Image is up to date for {reference}",
                reference,
            ],
            lines);
    }

    [Fact]
    public async Task Quiet_pull_prints_only_the_reference_and_a_digest_reference_pulls_the_same_image()
    {
        var (image, reference) = await PushedImageAsync("pull/quiet");
        var quiet = (await StrataAsync("pull", "-q", "--max-concurrent", "1", reference)).EnsureSuccess();
        Assert.Equal(reference + "\n", quiet.Stdout);

        var pinned = $"{registry.Host}/pull/quiet@{image.ManifestDigest}";
        var byDigest = (await StrataAsync("pull", "-q", pinned)).EnsureSuccess();
        Assert.Equal(pinned + "\n", byDigest.Stdout);
        var id = (await StrataAsync("inspect", "--format", "{{.Id}}", pinned)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
    }

    [Fact]
    public async Task Pull_of_a_missing_tag_fails_in_one_line_naming_the_reference_and_the_registry_code()
    {
        await PushedImageAsync("pull/missing");
        var reference = $"{registry.Host}/pull/missing:nope";
        var pull = await StrataAsync("pull", reference);
        Assert.Equal(1, pull.ExitCode);
        Assert.Equal("", pull.Stdout);
        Assert.Equal($"Error: {reference}: MANIFEST_UNKNOWN: manifest unknown\n", pull.Stderr);
    }

    [Fact]
    public async Task Pull_of_an_index_takes_the_platform_asked_for()
    {
        var layout = _scratch.PathOf("layout-multi");
        var builder = new OciLayoutBuilder(layout);
        var amd64 = builder.Image("amd64", [new Dictionary<string, string> { ["arch"] = "amd64\n" }]);
        var arm64 = builder.Image("arm64", [new Dictionary<string, string> { ["arch"] = "arm64\n" }]);
        var (indexDigest, indexSize) = builder.Index([(amd64, "amd64"), (arm64, "arm64")]);
        builder.Tag("multi", "application/vnd.oci.image.index.v1+json", indexDigest, indexSize);
        var reference = $"{registry.Host}/pull/multi:multi";
        await Skopeo.CopyToRegistryAsync(layout, "multi", reference, all: true);

        var pull = (await StrataAsync("pull", "--platform", "linux/arm64", reference)).EnsureSuccess();
        Assert.Contains($"Digest: {indexDigest}\n", pull.Stdout);
        Assert.Equal(arm64.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());

        var none = await StrataAsync("pull", "--platform", "linux/s390x", reference);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal($"Error: {reference}: no image for linux/s390x in {indexDigest} (application/vnd.oci.image.index.v1+json)\n", none.Stderr);
    }
}
