using Strata.Snapshots.Mounting;

namespace Strata.Snapshots.Tests;

public sealed class OverlayOptionsTests
{
    [Fact]
    public void Options_that_fit_are_left_absolute()
    {
        var (data, directory) = OverlayOptions.Fit(["lowerdir=/r/snapshots/2/fs:/r/snapshots/1/fs", "upperdir=/r/snapshots/3/fs"], 4096);

        Assert.Equal("lowerdir=/r/snapshots/2/fs:/r/snapshots/1/fs,upperdir=/r/snapshots/3/fs", data);
        Assert.Null(directory);
    }

    [Fact]
    public void Long_lower_lists_become_relative_to_their_common_directory()
    {
        string root = "/var/lib/" + new string('x', 100) + "/snapshots";
        var lowers = Enumerable.Range(1, 128).Reverse().Select(i => $"{root}/{i}/fs");
        List<string> options = ["workdir=/w", "upperdir=/u", "lowerdir=" + string.Join(':', lowers), "index=off"];

        var (data, directory) = OverlayOptions.Fit(options, 4096);

        Assert.Equal(root, directory);
        Assert.StartsWith("workdir=/w,upperdir=/u,lowerdir=128/fs:127/fs:", data);
        Assert.EndsWith(":1/fs,index=off", data);
        Assert.True(data.Length < 4096);
    }

    [Theory]
    [InlineData("/a/b/1/fs|/a/b/2/fs", "/a/b")]
    [InlineData("/a/b/1/fs|/a/c/2/fs", "/a")]
    [InlineData("/a/b1/fs|/a/b10/fs", "/a")]
    [InlineData("/x/1|/y/2", "/")]
    public void The_common_directory_is_a_whole_path_component(string paths, string expected) =>
        Assert.Equal(expected, OverlayOptions.CommonDirectory(paths.Split('|')));
}
