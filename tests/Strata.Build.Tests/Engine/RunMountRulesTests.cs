using Strata.Build.Engine.Mounts;
using Strata.Core;

namespace Strata.Build.Tests.Engine;

/// <summary>The pure rules of RUN --mount: cache directory names and target resolution.</summary>
public sealed class RunMountRulesTests
{
    [Theory]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData("/root/.cache/go-build")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("x/../../../y")]
    public void Cache_directory_names_are_one_safe_path_component(string id)
    {
        var name = CacheMountStore.DirectoryName(id);

        Assert.DoesNotContain('/', name);
        Assert.NotEqual(".", name);
        Assert.NotEqual("..", name);
        Assert.Matches("^[A-Za-z0-9_-]+$", name);
        const string root = "/var/lib/strata/cache/mounts"; // any absolute directory: no file is made
        Assert.Equal(root, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, name))));
    }

    [Fact]
    public void Different_ids_that_escape_to_the_same_text_still_get_different_directories()
    {
        Assert.NotEqual(CacheMountStore.DirectoryName("a/b"), CacheMountStore.DirectoryName("a_b"));
        Assert.NotEqual(CacheMountStore.DirectoryName("a.b"), CacheMountStore.DirectoryName("a_b"));
        Assert.Equal(CacheMountStore.DirectoryName("/go/pkg"), CacheMountStore.DirectoryName("/go/pkg"));
    }

    [Theory]
    [InlineData("/cache", "/app", "/cache")]
    [InlineData("cache", "/app", "/app/cache")]
    [InlineData("./a/../b/", "/app", "/app/b")]
    [InlineData("../../../etc", "/app/x", "/etc")]
    [InlineData("/a//b/./c/", "/", "/a/b/c")]
    public void Targets_are_cleaned_and_relative_ones_are_under_the_working_directory(string target, string workdir, string expected) =>
        Assert.Equal(expected, RunMountPreparer.Target(target, workdir));

    [Theory]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("/a/..")]
    public void A_target_that_is_the_root_is_refused(string target)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => RunMountPreparer.Target(target, "/"));
        Assert.Contains(target, ex.Message, StringComparison.Ordinal);
    }
}
