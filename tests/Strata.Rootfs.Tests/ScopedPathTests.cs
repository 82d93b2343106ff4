namespace Strata.Rootfs.Tests;

/// <summary>Paths inside a rootfs resolved as if it were <c>/</c>: links never lead out of it.</summary>
public sealed class ScopedPathTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-scoped-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void An_absolute_link_restarts_at_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "real"));
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "link"), "/real");
        Assert.Equal(Path.Combine(_tempDir.Path, "real", "f"), ScopedPath.Resolve(_tempDir.Path, "/link/f"));
    }

    [Fact]
    public void Dot_dot_stops_at_the_root_also_through_a_link()
    {
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "up"), "../../../etc");
        Assert.Equal(Path.Combine(_tempDir.Path, "etc", "passwd"), ScopedPath.Resolve(_tempDir.Path, "/up/passwd"));
        Assert.Equal(Path.Combine(_tempDir.Path, "x"), ScopedPath.Resolve(_tempDir.Path, "/../../x"));
        Assert.Equal(_tempDir.Path, ScopedPath.Resolve(_tempDir.Path, "/"));
    }

    [Fact]
    public void The_final_link_is_kept_when_not_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "l"), "/target");
        Assert.Equal(Path.Combine(_tempDir.Path, "l"), ScopedPath.Resolve(_tempDir.Path, "/l", followFinal: false));
        Assert.Equal(Path.Combine(_tempDir.Path, "target"), ScopedPath.Resolve(_tempDir.Path, "/l"));
    }

    [Fact]
    public void A_link_loop_is_an_error_naming_the_path()
    {
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "b"), "/a");
        var error = Assert.Throws<Core.InvalidArgumentException>(() => ScopedPath.Resolve(_tempDir.Path, "/a/x"));
        Assert.Equal("too many levels of symbolic links resolving /a/x", error.Message);
    }
}
