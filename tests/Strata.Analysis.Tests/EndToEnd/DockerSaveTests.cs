using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// An image built by Debian's docker and saved with <c>docker save</c> (the legacy archive of
/// docker 20.10) analyzes the same as the archive and as the same image loaded into the store.
/// </summary>
public sealed class DockerSaveTests(DockerdPeer docker) : IClassFixture<DockerdPeer>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("strata-analyze-save-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [SkippableFact]
    public async Task A_docker_save_archive_analyzes_like_the_same_image_in_the_store()
    {
        Skip.If(docker.SkipReason is not null, docker.SkipReason);
        var root = Path.Combine(_work, "store");
        var rootfs = Path.Combine(_work, "rootfs");
        StrataRun.BusyboxRootfs(rootfs);
        (await StrataRun.StrataAsync(root, null, "import", rootfs, "bb:1")).Ok();
        var baseTar = Path.Combine(_work, "base.tar");
        (await StrataRun.StrataAsync(root, null, "save", "-o", baseTar, "bb:1")).Ok();
        (await docker.DockerAsync("load", "-i", baseTar)).Ok();

        var context = Path.Combine(_work, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM bb:1\nCOPY app.sh /app/app.sh\nRUN chmod +x /app/app.sh\n"
            + "RUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n");
        await File.WriteAllBytesAsync(Path.Combine(context, "app.sh"), Encoding.ASCII.GetBytes("#!/bin/sh\n" + new string('#', 4990)));
        (await docker.DockerAsync("build", "--network=none", "-t", "dk:1", context)).Ok();
        var archive = Path.Combine(_work, "dk.tar");
        (await docker.DockerAsync("save", "-o", archive, "dk:1")).Ok();
        (await StrataRun.StrataAsync(root, null, "load", "-i", archive)).Ok();

        var fromArchive = (await StrataRun.StrataAsync(root, null, "analyze", "--json", archive)).Ok().Stdout;
        var fromStore = (await StrataRun.StrataAsync(root, null, "analyze", "--json", "dk:1")).Ok().Stdout;
        Assert.Equal(Comparable(fromStore), Comparable(fromArchive));

        var a = JsonSerializer.Deserialize(fromArchive, AnalysisJsonContext.Default.ImageAnalysis)!;
        Assert.Equal((5, 1, "store"), (a.Layers.Count, a.BaseLayers, a.BaseLayersFrom));
        Assert.Equal((305_000L, 305_000L), (a.WastedBytes, a.UserWastedBytes));
        Assert.Equal(["deleted-files", "package-cache", "metadata-copy-up"], a.Findings.Select(f => f.Rule));
        Assert.Equal([(3, 4, 300_000L), (3, -1, 300_000L), (1, 2, 5000L)], a.Findings.Select(f => (f.Layer, f.ByLayer ?? -1, f.Bytes)));
        Assert.Equal("RUN /bin/sh -c chmod +x /app/app.sh", a.Findings[2].ByInstruction);
    }

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
