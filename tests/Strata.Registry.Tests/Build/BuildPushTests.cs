using System.Text.RegularExpressions;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Build;

/// <summary>
/// <c>build --push</c>, <c>--output type=registry</c> and <c>type=image,push=true</c>: the built
/// image reaches the real registry, skopeo reads the printed digest there and the Debian docker
/// engine pulls and runs it.
/// </summary>
[Collection(RegistryAndDockerGroup.Name)]
public sealed partial class BuildPushTests(RegistryServer registry, Dockerd docker) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    private async Task<string> ContextAsync()
    {
        var rootfs = _scratch.PathOf("rootfs");
        new BusyboxRootfs { Applets = ["sh", "echo", "cat"] }.Create(rootfs);
        var tar = _scratch.PathOf("rootfs.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(rootfs, tar, includeBaseDirectory: false);
        (await StrataAsync("import", tar, "local-base:1")).EnsureSuccess();
        var context = _scratch.PathOf("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM local-base:1\nRUN echo built by strata > /built\nCMD [\"cat\", \"/built\"]\n");
        return context;
    }

    /// <summary>The digest of the one <c>pushing manifest for NAME@DIGEST done</c> line for <paramref name="name"/>.</summary>
    private static string PushedDigest(string stderr, string name)
    {
        var digests = stderr.Split('\n').Select(l => PushedLine().Match(l)).Where(m => m.Success && m.Groups[1].Value == name).Select(m => m.Groups[2].Value).ToList();
        Assert.Single(digests);
        return digests[0];
    }

    [GeneratedRegex(@"^pushing manifest for (\S+)@(sha256:[0-9a-f]{64}) done$")]
    private static partial Regex PushedLine();

    [SkippableFact]
    public async Task Build_push_sends_the_image_that_skopeo_sees_and_docker_pulls_and_runs()
    {
        docker.SkipIfUnavailable();
        var context = await ContextAsync();
        var reference = $"{registry.Host}/buildpush/app:v1";
        var build = (await StrataAsync("build", "--progress=plain", "--push", "-t", reference, context)).EnsureSuccess();

        var digest = PushedDigest(build.Stderr, reference);
        var (served, manifest) = await Skopeo.RawAsync(reference);
        Assert.Equal(digest, served);
        // Pushed layers are compressed as docker push sends them; the config (so the image ID) is the build's.
        Assert.All(manifest["layers"]!.AsArray(), l => Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", (string?)l!["mediaType"]));
        var id = (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(id, (string?)manifest["config"]!["digest"]);

        await docker.OkAsync("pull", "-q", reference);
        Assert.Equal(id, (await docker.OkAsync("image", "inspect", "--format", "{{.Id}}", reference)).Trim());
        Assert.Equal("built by strata\n", await docker.OkAsync("run", "--rm", "--network=none", reference));
    }

    [Fact]
    public async Task Output_type_registry_and_type_image_with_push_send_the_image_under_their_names()
    {
        var context = await ContextAsync();
        var viaRegistry = $"{registry.Host}/buildpush/out:registry";
        var viaImage = $"{registry.Host}/buildpush/out:image";
        var build = (await StrataAsync("build", "--progress=plain", "-t", "kept:1",
            "--output", $"type=registry,name={viaRegistry}", "--output", $"type=image,name={viaImage},push=true", context)).EnsureSuccess();

        var first = PushedDigest(build.Stderr, viaRegistry);
        var second = PushedDigest(build.Stderr, viaImage);
        Assert.Equal(first, second);
        Assert.Equal(first, (await Skopeo.RawAsync(viaRegistry)).Digest);
        Assert.Equal(first, (await Skopeo.RawAsync(viaImage)).Digest);
        // The -t name was not pushed (only the outputs' names were), and every name is in the store.
        Assert.DoesNotContain("pushing manifest for docker.io/library/kept:1", build.Stderr, StringComparison.Ordinal);
        var id = (await StrataAsync("inspect", "--format", "{{.Id}}", "kept:1")).EnsureSuccess().Stdout.Trim();
        Assert.Equal(id, (await StrataAsync("inspect", "--format", "{{.Id}}", viaImage)).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Push_without_any_name_fails_before_building()
    {
        var context = await ContextAsync();
        var build = await StrataAsync("build", "--progress=plain", "--push", context);
        Assert.Equal(2, build.ExitCode);
        Assert.Equal("Error: --output type=registry: a name is needed to push: tag the image with -t NAME or give name=NAME\n", build.Stderr);
    }

    [Fact]
    public async Task The_metadata_file_after_build_push_names_the_pushed_manifest_digest()
    {
        var context = await ContextAsync();
        var reference = $"{registry.Host}/buildpush/meta:v1";
        var metadata = _scratch.PathOf("metadata.json");

        var build = (await StrataAsync("build", "--progress=plain", "--push", "-t", reference, "--metadata-file", metadata, context)).EnsureSuccess();

        var pushed = PushedDigest(build.Stderr, reference);
        var (served, manifest) = await Skopeo.RawAsync(reference);
        var written = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(metadata))!;
        Assert.Equal(served, pushed);
        Assert.Equal(pushed, (string?)written["containerimage.digest"]);
        Assert.Equal(pushed, (string?)written["containerimage.descriptor"]!["digest"]);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", (string?)written["containerimage.descriptor"]!["mediaType"]);
        Assert.Equal((string?)manifest["config"]!["digest"], (string?)written["containerimage.config.digest"]);
        Assert.Equal(reference, (string?)written["image.name"]);
    }
}

