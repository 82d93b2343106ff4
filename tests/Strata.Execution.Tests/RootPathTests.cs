using Strata.Core;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

public sealed class RootPathTests : IDisposable
{
    private readonly TempDir _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Existing_path_resolves_to_itself_with_nothing_missing()
    {
        Directory.CreateDirectory(_root.PathOf("etc"));
        File.WriteAllText(_root.PathOf("etc/passwd"), "");
        Assert.Equal("/etc/passwd", RootPath.Resolve(_root.Path, "/etc/passwd", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void First_missing_component_is_reported()
    {
        Directory.CreateDirectory(_root.PathOf("etc"));
        Assert.Equal("/etc/a/b", RootPath.Resolve(_root.Path, "/etc/a/b", out var missing));
        Assert.Equal("/etc/a", missing);
    }

    [Fact]
    public void Absolute_link_is_followed_inside_the_root()
    {
        Directory.CreateDirectory(_root.PathOf("real"));
        File.CreateSymbolicLink(_root.PathOf("link"), "/real");
        Assert.Equal("/real/hosts", RootPath.Resolve(_root.Path, "/link/hosts", out var missing));
        Assert.Equal("/real/hosts", missing);
    }

    [Fact]
    public void Relative_link_climbing_above_the_root_stops_at_the_root()
    {
        Directory.CreateDirectory(_root.PathOf("a"));
        File.CreateSymbolicLink(_root.PathOf("a/up"), "../../../../etc");
        Assert.Equal("/etc/hosts", RootPath.Resolve(_root.Path, "/a/up/hosts", out var missing));
        Assert.Equal("/etc", missing);
    }

    [Fact]
    public void Link_loop_is_refused()
    {
        File.CreateSymbolicLink(_root.PathOf("x"), "/y");
        File.CreateSymbolicLink(_root.PathOf("y"), "/x");
        Assert.Throws<InvalidArgumentException>(() => RootPath.Resolve(_root.Path, "/x/z", out _));
    }

    [Fact]
    public void Path_through_a_link_is_not_link_free()
    {
        Directory.CreateDirectory(_root.PathOf("real"));
        File.CreateSymbolicLink(_root.PathOf("link"), "/real");
        Assert.False(RootPath.HasNoLinks(_root.Path, "/link/hosts"));
        Assert.True(RootPath.HasNoLinks(_root.Path, "/real/hosts"));
    }
}
