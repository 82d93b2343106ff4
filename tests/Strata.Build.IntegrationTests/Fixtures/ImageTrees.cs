using System.Text.Json;
using Strata.Archive;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>Root filesystems of built images, written to directories for comparison.</summary>
internal static class ImageTrees
{
    /// <summary>
    /// docker's image as BuildKit built it: <c>docker save</c>, then every layer of the legacy
    /// manifest.json applied in order (whiteouts and opaque markers honoured). Unlike
    /// <c>docker export</c>, this adds no /etc/hosts, /etc/hostname, /etc/resolv.conf or
    /// /.dockerenv, so nothing has to be ignored.
    /// </summary>
    public static async Task UnpackDockerAsync(DockerdFixture docker, string image, string target, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var tar = Path.Combine(scratch, "image.tar");
        (await docker.DockerAsync("save", "-o", tar, image)).EnsureSuccess();
        var extracted = Path.Combine(scratch, "saved");
        Directory.CreateDirectory(extracted);
        (await CliRunner.RunAsync("tar", "-xf", tar, "-C", extracted)).EnsureSuccess();
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(extracted, "manifest.json")));
        Directory.CreateDirectory(target);
        foreach (var layer in manifest.RootElement[0].GetProperty("Layers").EnumerateArray())
        {
            await using var stream = File.OpenRead(Path.Combine(extracted, layer.GetString()!));
            await LayerApplier.ApplyAsync(stream, target, new LayerApplyOptions { LayerName = layer.GetString()! }, CancellationToken.None);
        }
    }

    public static async Task UnpackStrataAsync(StrataCli strata, string image, string target) =>
        (await strata.RunAsync("image", "unpack", image, target)).EnsureSuccess();
}
