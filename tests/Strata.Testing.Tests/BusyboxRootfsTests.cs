namespace Strata.Testing.Tests;

public sealed class BusyboxRootfsTests
{
    [Fact]
    public void A_spec_becomes_exactly_its_tree()
    {
        using var temp = new TempDir("strata-busybox-test-");
        var spec = new BusyboxRootfs
        {
            Applets = ["sh", "ls"],
            Directories = ["tmp", "srv/data"],
            Files = [new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")],
            Modes = [new("tmp", (UnixFileMode)0x3FF | UnixFileMode.StickyBit)],
        };

        var root = spec.Create(temp.PathOf("rootfs"));

        var entries = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal);
        Assert.Equal(["bin", "bin/busybox", "bin/ls", "bin/sh", "etc", "etc/passwd", "srv", "srv/data", "tmp"], entries);
        Assert.Equal("busybox", new FileInfo(Path.Combine(root, "bin", "sh")).LinkTarget);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(root, "bin", "busybox")));
        Assert.Equal((UnixFileMode)0x3FF | UnixFileMode.StickyBit, File.GetUnixFileMode(Path.Combine(root, "tmp")));
        Assert.Equal(File.ReadAllBytes(BusyboxRootfs.HostBusybox), File.ReadAllBytes(Path.Combine(root, "bin", "busybox")));
    }
}
