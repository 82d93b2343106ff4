namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>Root filesystems of built images, written to directories for comparison.</summary>
internal static class ImageTrees
{
    /// <summary>
    /// docker's image as BuildKit built it, unpacked by the reference tools alone: <c>docker
    /// save</c>, <c>skopeo copy</c> to an OCI layout, <c>umoci unpack</c> (umoci applies the
    /// whiteouts, opaque markers and hardlinks itself), so no Strata code sees the reference
    /// side. Unlike <c>docker export</c>, this adds no /etc/hosts, /etc/hostname,
    /// /etc/resolv.conf or /.dockerenv, so nothing has to be ignored.
    /// </summary>
    public static async Task UnpackDockerAsync(DockerdFixture docker, string image, string target, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var tar = Path.Combine(scratch, "image.tar");
        (await docker.DockerAsync("save", "-o", tar, image)).EnsureSuccess();
        var layout = Path.Combine(scratch, "layout");
        (await ProcessRunner.RunAsync("skopeo", ["copy", "-q", "docker-archive:" + tar, "oci:" + layout + ":img"])).EnsureSuccess();
        var bundle = Path.Combine(scratch, "bundle");
        (await ProcessRunner.RunAsync("umoci", ["unpack", "--image", layout + ":img", bundle])).EnsureSuccess();
        Directory.Move(Path.Combine(bundle, "rootfs"), target);
    }

    public static async Task UnpackStrataAsync(StrataCli strata, string image, string target) =>
        (await strata.RunAsync("image", "unpack", image, target)).EnsureSuccess();
}
