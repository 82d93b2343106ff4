namespace Strata.Rootfs.Tests;

/// <summary>Paths inside a rootfs resolved as if it were <c>/</c>: links never lead out of it.</summary>
public sealed class ScopedPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("strata-scoped-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_absolute_link_restarts_at_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real"));
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "/real");
        Assert.Equal(Path.Combine(_root, "real", "f"), ScopedPath.Resolve(_root, "/link/f"));
    }

    [Fact]
    public void Dot_dot_stops_at_the_root_also_through_a_link()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../../etc");
        Assert.Equal(Path.Combine(_root, "etc", "passwd"), ScopedPath.Resolve(_root, "/up/passwd"));
        Assert.Equal(Path.Combine(_root, "x"), ScopedPath.Resolve(_root, "/../../x"));
        Assert.Equal(_root, ScopedPath.Resolve(_root, "/"));
    }

    [Fact]
    public void The_final_link_is_kept_when_not_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "l"), "/target");
        Assert.Equal(Path.Combine(_root, "l"), ScopedPath.Resolve(_root, "/l", followFinal: false));
        Assert.Equal(Path.Combine(_root, "target"), ScopedPath.Resolve(_root, "/l"));
    }

    [Fact]
    public void A_link_loop_is_an_error_naming_the_path()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "/a");
        var error = Assert.Throws<Core.InvalidArgumentException>(() => ScopedPath.Resolve(_root, "/a/x"));
        Assert.Equal("too many levels of symbolic links resolving /a/x", error.Message);
    }
}
