using Strata.Core.Unix;

namespace Strata.Core.Tests.Unix;

/// <summary>mount(2) and umount2(2) wrappers. Needs root.</summary>
public sealed class MountTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-mount-");

    private bool _mounted;

    public void Dispose()
    {
        if (_mounted) Libc.Umount2(Path.Combine(_tempDir.Path, "target"), Libc.MntDetach);
        _tempDir.Dispose();
    }

    [Fact]
    public void A_bind_mount_shows_the_source_until_it_is_unmounted()
    {
        string source = Directory.CreateDirectory(Path.Combine(_tempDir.Path, "source")).FullName;
        string target = Directory.CreateDirectory(Path.Combine(_tempDir.Path, "target")).FullName;
        File.WriteAllText(Path.Combine(source, "f"), "x");

        Libc.Mount(source, target, null, Libc.MsBind, null);
        _mounted = true;
        bool visible = File.Exists(Path.Combine(target, "f"));
        Libc.Umount2(target, 0);
        _mounted = false;

        Assert.True(visible);
        Assert.False(File.Exists(Path.Combine(target, "f")));
    }

    [Fact]
    public void Failures_carry_the_errno_and_name_the_target()
    {
        string target = Directory.CreateDirectory(Path.Combine(_tempDir.Path, "target")).FullName;

        var notMounted = Assert.Throws<UnixException>(() => Libc.Umount2(target, 0));
        var badSource = Assert.Throws<UnixException>(() => Libc.Mount(Path.Combine(_tempDir.Path, "missing"), target, null, Libc.MsBind, null));

        Assert.Equal(Libc.Einval, notMounted.Errno);
        Assert.Equal(target, notMounted.Path);
        Assert.Equal(Libc.Enoent, badSource.Errno);
        Assert.StartsWith("mount -t none ", badSource.Message);
    }
}
