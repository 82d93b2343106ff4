using Strata.Archive;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>
/// Round trips with docker itself (a private dockerd): an image strata saves is the same image
/// to docker (ID, layers, history) and runs; images docker imports, builds and saves load into
/// strata as the same images with the same history.
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class DockerInteropTests
{
    private readonly Dockerd _docker;

    public DockerInteropTests(Dockerd docker)
    {
        _docker = docker;
    }

    [SkippableFact]
    public async Task A_strata_save_loads_into_docker_with_the_same_id_layers_and_history_and_runs()
    {
        _docker.SkipIfUnavailable();
        using var ws = new Workspace(Workspace.ThreeYearsAgo);
        const string image = "strata-made/busybox:1";
        await ws.ImportBusyboxAsync(image, "-c", "CMD [\"sh\"]", "-m", "busybox imported by strata");
        string archive = ws.Scratch.PathOf("busybox.tar");
        await ws.Strata.OkAsync("save", "-o", archive, image);

        Assert.Equal($"Loaded image: {image}\n", await _docker.OkAsync("load", "-i", archive));

        const string idAndLayers = "{{.Id}} {{json .RootFS.Layers}}";
        Assert.Equal(await ws.Strata.OkAsync("inspect", "--format", idAndLayers, image), await _docker.OkAsync("image", "inspect", "--format", idAndLayers, image));
        Assert.Equal(await ws.Strata.OkAsync("history", image), await _docker.OkAsync("history", image));
        Assert.Equal(await ws.Strata.OkAsync("history", "--no-trunc", image), await _docker.OkAsync("history", "--no-trunc", image));
        Assert.Equal("ok\n", await _docker.OkAsync("run", "--rm", "--network=none", image, "sh", "-c", "echo ok"));
    }

    [SkippableFact]
    public async Task Images_docker_imports_builds_and_saves_load_into_strata_with_the_same_ids_layers_and_history()
    {
        _docker.SkipIfUnavailable();
        using var ws = new Workspace();
        const string baseImage = "docker-made/base:1";
        const string appImage = "docker-made/app:1";
        await BuildDockerImagesAsync(ws, baseImage, appImage);
        string archive = ws.Scratch.PathOf("docker-saved.tar");
        await _docker.OkAsync("save", "-o", archive, baseImage, appImage);
        var savedTags = System.Text.Json.Nodes.JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", archive, "manifest.json"))!
            .AsArray().Select(e => e!["RepoTags"]![0]!.GetValue<string>()).ToList();

        Assert.Equal(string.Concat(savedTags.Select(t => $"Loaded image: {t}\n")), await ws.Strata.OkAsync("load", "-i", archive));

        const string idAndLayers = "{{.Id}} {{json .RootFS.Layers}}";
        foreach (var image in new[] { baseImage, appImage })
            Assert.Equal(await _docker.OkAsync("image", "inspect", "--format", idAndLayers, image), await ws.Strata.OkAsync("inspect", "--format", idAndLayers, image));
        // S3: four layers (import, two RUNs, COPY) but six history rows; the ENV and CMD rows are 0B.
        Assert.Equal(4, (await ws.InspectAsync(appImage))["RootFS"]!["Layers"]!.AsArray().Count);
        const string rows = "{{.CreatedAt}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}";
        string dockerRows = await _docker.OkAsync("history", "--no-trunc", "--format", rows, appImage);
        Assert.Equal(6, StoreFiles.Lines(dockerRows).Count);
        string strataRows = await ws.Strata.OkAsync("history", "--no-trunc", "--format", rows, appImage);
        Assert.Equal(dockerRows, strataRows);
        var metadataRows = StoreFiles.Lines(strataRows).Where(r => r.Contains("#(nop)  ENV", StringComparison.Ordinal) || r.Contains("#(nop)  CMD", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, metadataRows.Count);
        Assert.All(metadataRows, r => Assert.EndsWith("|0B|", r, StringComparison.Ordinal));
        const string table = "table {{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
        Assert.Equal(await _docker.OkAsync("history", "--format", table, appImage), await ws.Strata.OkAsync("history", "--format", table, appImage));
        // docker still has the intermediate images and shows their IDs; both show the image itself on top.
        Assert.Equal(
            StoreFiles.Lines(await _docker.OkAsync("history", "-q", appImage))[0],
            StoreFiles.Lines(await ws.Strata.OkAsync("history", "-q", appImage))[0]);
        Assert.Equal(await _docker.OkAsync("history", "--no-trunc", "--format", "{{.ID}}|" + rows, baseImage), await ws.Strata.OkAsync("history", "--no-trunc", "--format", "{{.ID}}|" + rows, baseImage));
        await ws.AssertCheckPassesAsync();
    }

    [SkippableFact]
    public async Task A_docker_built_image_passed_through_strata_unpacks_to_dockers_rootfs_and_runs_in_docker_again()
    {
        _docker.SkipIfUnavailable();
        using var ws = new Workspace();
        const string baseImage = "passed/base:1";
        const string appImage = "passed/app:1";
        await BuildDockerImagesAsync(ws, baseImage, appImage);
        string archive = ws.Scratch.PathOf("docker-saved.tar");
        await _docker.OkAsync("save", "-o", archive, appImage);
        await ws.Strata.OkAsync("load", "-i", archive);

        // The rootfs strata unpacks is the one docker's container sees, minus what docker adds to every container.
        string unpacked = ws.Scratch.PathOf("unpacked");
        await ws.Strata.OkAsync("image", "unpack", appImage, unpacked);
        string container = (await _docker.OkAsync("create", "--network=none", appImage)).TrimEnd('\n');
        string export = ws.Scratch.PathOf("export.tar");
        await _docker.OkAsync("export", "-o", export, container);
        await _docker.OkAsync("rm", container);
        string exported = ws.Scratch.NewDir("exported");
        await Tools.OkAsync(Tools.Tar, "-C", exported, "--numeric-owner",
            "--exclude=.dockerenv", "--exclude=dev", "--exclude=proc", "--exclude=sys",
            "--exclude=etc/hostname", "--exclude=etc/hosts", "--exclude=etc/mtab", "--exclude=etc/resolv.conf",
            "-xf", export);
        Assert.Equal(TreeManifest.Capture(exported), TreeManifest.Capture(unpacked));

        // Back out of strata under a new name: docker sees the same image and runs it.
        await ws.Strata.OkAsync("tag", appImage, "passed/again:1");
        string again = ws.Scratch.PathOf("again.tar");
        await ws.Strata.OkAsync("save", "-o", again, "passed/again:1");
        Assert.Equal("Loaded image: passed/again:1\n", await _docker.OkAsync("load", "-i", again));
        Assert.Equal(await _docker.OkAsync("image", "inspect", "--format", "{{.Id}}", appImage), await _docker.OkAsync("image", "inspect", "--format", "{{.Id}}", "passed/again:1"));
        Assert.Equal("hello from app\n", await _docker.OkAsync("run", "--rm", "--network=none", "passed/again:1"));
    }

    /// <summary>
    /// A built layer (stored uncompressed) saved gzip (the default) or uncompressed loads into
    /// docker as the same image and runs. zstd is left out: docker 20.10 (Debian's) does not read
    /// zstd layers (containerd's image store in docker 25+ does).
    /// </summary>
    [SkippableTheory]
    [InlineData("gzip")]
    [InlineData("uncompressed")]
    public async Task A_built_image_saved_with_compression_loads_into_docker_as_the_same_image_and_runs(string compression)
    {
        _docker.SkipIfUnavailable();
        using var ws = new Workspace(Workspace.ThreeYearsAgo);
        await ExportCompressionInteropTests.BuildAppAsync(ws);
        await ws.Strata.OkAsync("tag", "app:1", $"compressed/{compression}:1");
        string archive = ws.Scratch.PathOf("app.tar");
        await ws.Strata.OkAsync("save", "--compression", compression, "-o", archive, $"compressed/{compression}:1");

        Assert.Equal($"Loaded image: compressed/{compression}:1\n", await _docker.OkAsync("load", "-i", archive));

        const string idAndLayers = "{{.Id}} {{json .RootFS.Layers}}";
        Assert.Equal(await ws.Strata.OkAsync("inspect", "--format", idAndLayers, "app:1"), await _docker.OkAsync("image", "inspect", "--format", idAndLayers, $"compressed/{compression}:1"));
        Assert.Equal(string.Concat(Enumerable.Repeat("hello from a layer stored uncompressed\n", 2000)), await _docker.OkAsync("run", "--rm", "--network=none", $"compressed/{compression}:1", "cat", "/hello.txt"));
    }

    /// <summary>docker import of the busybox rootfs, then a legacy-builder build FROM it with two RUNs, a COPY, ENV and CMD.</summary>
    private async Task BuildDockerImagesAsync(Workspace ws, string baseImage, string appImage)
    {
        string rootfsTar = await BaseRootfs.TarAsync(ws.Rootfs, ws.Scratch.PathOf("rootfs.tar"));
        await _docker.OkAsync("import", "-c", "CMD [\"sh\"]", "-m", "busybox imported by docker", rootfsTar, baseImage);
        string context = ws.Scratch.NewDir("context");
        await File.WriteAllTextAsync(Path.Combine(context, "app.txt"), "hello from app\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            $"""
            FROM {baseImage}
            RUN echo "Layer 1" > /file1.txt
            RUN echo "Layer 2" > /file2.txt
            COPY app.txt /app/app.txt
            ENV GREETING=hello
            CMD ["cat", "/app/app.txt"]

            """);
        (await _docker.RunAsync(["build", "--network=none", "-q", "-t", appImage, context])).EnsureSuccess();
    }
}
