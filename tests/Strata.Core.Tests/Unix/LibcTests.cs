using Strata.Core.Unix;

namespace Strata.Core.Tests.Unix;

public sealed class LibcTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-libc-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void Lstat_reports_type_size_owner_and_does_not_follow_symlinks()
    {
        var file = Path.Combine(_tempDir.Path, "f");
        File.WriteAllBytes(file, new byte[1234]);
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "l"), "f");

        var f = Libc.Lstat(file);
        var l = Libc.Lstat(Path.Combine(_tempDir.Path, "l"));

        Assert.True(f.IsRegular);
        Assert.Equal(1234, f.Size);
        Assert.Equal(1, f.LinkCount);
        Assert.True(l.IsSymlink);
        Assert.Equal(1, l.Size);
        Assert.False(Libc.TryLstat(Path.Combine(_tempDir.Path, "missing"), out _));
    }

    [Fact]
    public void Xattrs_round_trip_including_binary_values()
    {
        var file = Path.Combine(_tempDir.Path, "x");
        File.WriteAllText(file, "");
        byte[] value = [0, 1, 2, 255, 0];
        Libc.Lsetxattr(file, "user.strata", value);

        Assert.Equal(value, Libc.Lgetxattr(file, "user.strata"));
        Assert.Contains("user.strata", Libc.Llistxattr(file));
        Assert.Null(Libc.Lgetxattr(file, "user.none"));
    }

    [Fact]
    public void Mknod_makes_a_fifo_and_a_device_with_its_numbers()
    {
        var fifo = Path.Combine(_tempDir.Path, "fifo");
        Libc.Mknod(fifo, FileStatus.Fifo | 0x1A4, 0, 0);
        Assert.Equal(FileStatus.Fifo, Libc.Lstat(fifo).Type);

        if (Libc.Geteuid() != 0) throw new InvalidOperationException("this test needs root (CI runs as root)");
        var dev = Path.Combine(_tempDir.Path, "null");
        Libc.Mknod(dev, FileStatus.CharDevice | 0x1B6, 1, 3);
        var s = Libc.Lstat(dev);
        Assert.Equal(FileStatus.CharDevice, s.Type);
        Assert.Equal((1L, 3L), (s.RdevMajor, s.RdevMinor));
    }

    [Fact]
    public void Errors_name_the_call_and_the_path()
    {
        var missing = Path.Combine(_tempDir.Path, "nope");
        var ex = Assert.Throws<UnixException>(() => Libc.Lchown(missing, 0, 0));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Libc.Enoent, ex.Errno);
    }

    [Fact]
    public void Device_numbers_encode_like_glibc()
    {
        ulong dev = Libc.MakeDev(259, 65537);
        Assert.Equal(259, Libc.Major(dev));
        Assert.Equal(65537, Libc.Minor(dev));
    }
}
