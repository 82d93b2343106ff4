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
    private readonly DockerDaemon _docker;

    public DockerInteropTests(DockerDaemon docker)
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
        string rootfsTar = await BusyboxRootfs.TarAsync(ws.Rootfs, ws.Scratch.PathOf("rootfs.tar"));
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
        (await _docker.RunAsync(["build", "--network=none", "-q", "-t", appImage, context], new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" })).EnsureSuccess();
        string archive = ws.Scratch.PathOf("docker-saved.tar");
        await _docker.OkAsync("save", "-o", archive, baseImage, appImage);
        var savedTags = System.Text.Json.Nodes.JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", archive, "manifest.json"))!
            .AsArray().Select(e => e!["RepoTags"]![0]!.GetValue<string>()).ToList();

        Assert.Equal(string.Concat(savedTags.Select(t => $"Loaded image: {t}\n")), await ws.Strata.OkAsync("load", "-i", archive));

        const string idAndLayers = "{{.Id}} {{json .RootFS.Layers}}";
        foreach (var image in new[] { baseImage, appImage })
            Assert.Equal(await _docker.OkAsync("image", "inspect", "--format", idAndLayers, image), await ws.Strata.OkAsync("inspect", "--format", idAndLayers, image));
        // S3: three layers (import, two RUNs, COPY) but six history rows; ENV and CMD rows are 0B.
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
}
