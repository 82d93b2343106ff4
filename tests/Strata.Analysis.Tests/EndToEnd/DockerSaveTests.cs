using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// An image built by Debian's docker and saved with <c>docker save</c> (the legacy archive of
/// docker 20.10) analyzes the same as the archive and as the same image loaded into the store.
/// </summary>
public sealed class DockerSaveTests(Dockerd docker) : IClassFixture<Dockerd>, IDisposable
{
    private readonly TempDir _tempDir = new("strata-analyze-save-");

    public void Dispose() => _tempDir.Dispose();

    [SkippableFact]
    public async Task A_docker_save_archive_analyzes_like_the_same_image_in_the_store()
    {
        docker.SkipIfUnavailable();
        var root = Path.Combine(_tempDir.Path, "store");
        var rootfs = Path.Combine(_tempDir.Path, "rootfs");
        BusyboxRootfs.Minimal.Create(rootfs);
        (await new StrataCli(root).RunAsync("import", rootfs, "bb:1")).EnsureSuccess();
        var baseTar = Path.Combine(_tempDir.Path, "base.tar");
        (await new StrataCli(root).RunAsync("save", "-o", baseTar, "bb:1")).EnsureSuccess();
        (await DockerAsync("load", "-i", baseTar)).EnsureSuccess();

        var context = Path.Combine(_tempDir.Path, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM bb:1\nCOPY app.sh /app/app.sh\nRUN chmod +x /app/app.sh\n"
            + "RUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n");
        await File.WriteAllBytesAsync(Path.Combine(context, "app.sh"), Encoding.ASCII.GetBytes("#!/bin/sh\n" + new string('#', 4990)));
        (await DockerAsync("build", "--network=none", "-t", "dk:1", context)).EnsureSuccess();
        var archive = Path.Combine(_tempDir.Path, "dk.tar");
        (await DockerAsync("save", "-o", archive, "dk:1")).EnsureSuccess();
        (await new StrataCli(root).RunAsync("load", "-i", archive)).EnsureSuccess();

        var fromArchive = (await new StrataCli(root).RunAsync("analyze", "--json", archive)).EnsureSuccess().Stdout;
        var fromStore = (await new StrataCli(root).RunAsync("analyze", "--json", "dk:1")).EnsureSuccess().Stdout;
        Assert.Equal(Comparable(fromStore), Comparable(fromArchive));

        var a = JsonSerializer.Deserialize(fromArchive, AnalysisJsonContext.Default.ImageAnalysis)!;
        Assert.Equal((5, 1, "store"), (a.Layers.Count, a.BaseLayers, a.BaseLayersFrom));
        Assert.Equal((305_000L, 305_000L), (a.WastedBytes, a.UserWastedBytes));
        Assert.Equal(["deleted-files", "package-cache", "metadata-copy-up"], a.Findings.Select(f => f.Rule));
        Assert.Equal([(3, 4, 300_000L), (3, -1, 300_000L), (1, 2, 5000L)], a.Findings.Select(f => (f.Layer, f.ByLayer ?? -1, f.Bytes)));
        Assert.Equal("RUN /bin/sh -c chmod +x /app/app.sh", a.Findings[2].ByInstruction);
    }

    /// <summary>The Debian docker client against the private daemon, BuildKit on (as the image was built before).</summary>
    private Task<ProcessResult> DockerAsync(params string[] args) =>
        docker.RunAsync(args, new RunOptions { Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1" } });

    /// <summary>The analysis without what only names the copy (the name asked, the manifest and blob digests: the store may hold other blobs of the same layers).</summary>
    private static string Comparable(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("image");
        node.Remove("manifestDigest");
        foreach (var layer in node["layers"]!.AsArray())
        {
            layer!.AsObject().Remove("digest");
            layer.AsObject().Remove("blobSize");
        }
        return node.ToJsonString();
    }
}
