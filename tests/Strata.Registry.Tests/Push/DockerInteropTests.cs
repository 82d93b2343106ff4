using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Push;

/// <summary>The Debian docker engine as the other end: it runs what strata pushed, and strata runs what it pushed.</summary>
[Collection(RegistryAndDockerGroup.Name)]
public sealed class DockerInteropTests(RegistryServer registry, Dockerd docker) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    private string BusyboxTar()
    {
        var rootfs = _scratch.PathOf("rootfs");
        new BusyboxRootfs { Applets = ["sh", "echo", "cat"] }.Create(rootfs);
        var tar = _scratch.PathOf("rootfs.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(rootfs, tar, includeBaseDirectory: false);
        return tar;
    }

    [SkippableFact]
    public async Task Docker_pulls_and_runs_an_image_strata_pushed()
    {
        docker.SkipIfUnavailable();
        var reference = $"{registry.Host}/interop/from-strata:v1";
        var id = (await StrataAsync("import", "-c", "CMD [\"echo\", \"hello from strata\"]", BusyboxTar(), reference)).EnsureSuccess().Stdout.Trim();
        (await StrataAsync("push", "-q", reference)).EnsureSuccess();

        await docker.OkAsync("pull", "-q", reference);
        Assert.Equal(id, (await docker.OkAsync("image", "inspect", "--format", "{{.Id}}", reference)).Trim());
        Assert.Equal("hello from strata\n", await docker.OkAsync("run", "--rm", "--network=none", reference));
    }

    [SkippableFact]
    public async Task Strata_pulls_and_runs_a_docker_schema2_image_docker_pushed()
    {
        docker.SkipIfUnavailable();
        var reference = $"{registry.Host}/interop/from-docker:v1";
        var id = (await docker.OkAsync("import", "-c", "CMD [\"echo\", \"hello from docker\"]", BusyboxTar(), reference)).Trim();
        await docker.OkAsync("push", reference);
        var (manifestDigest, manifest) = await Skopeo.RawAsync(reference);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", (string?)manifest["mediaType"]);

        var pull = (await StrataAsync("pull", reference)).EnsureSuccess();
        Assert.Contains($"Digest: {manifestDigest}\n", pull.Stdout);
        Assert.Equal(id, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        Assert.Equal("hello from docker\n", (await StrataAsync("run", "--rm", reference)).EnsureSuccess().Stdout);
    }
}
