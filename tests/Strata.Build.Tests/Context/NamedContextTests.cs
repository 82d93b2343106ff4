using Strata.Build.Context;
using Strata.Core;

namespace Strata.Build.Tests.Context;

public sealed class NamedContextTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-named-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void A_relative_directory_is_resolved_against_the_current_directory()
    {
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "docs"));

        var c = NamedContext.Parse("docs=./docs", _tempDir.Path);

        Assert.Equal(new NamedContext("docs", NamedContextKind.Directory, Path.Combine(_tempDir.Path, "docs"), "docs=./docs"), c);
    }

    [Fact]
    public void Docker_image_scheme_names_an_image_reference()
    {
        var c = NamedContext.Parse("alpine=docker-image://alpine:3.19", _tempDir.Path);

        Assert.Equal(NamedContextKind.Image, c.Kind);
        Assert.Equal("alpine:3.19", c.Value);
    }

    [Theory]
    [InlineData("busybox", "busybox:latest")]
    [InlineData("busybox", "docker.io/library/busybox")]
    [InlineData("Tools", "tools")]
    [InlineData("alpine:3.19", "alpine:3.19")]
    public void Names_match_as_BuildKit_normalises_them(string name, string reference) =>
        Assert.True(new NamedContext(name, NamedContextKind.Image, "x", "f").Matches(reference));

    [Theory]
    [InlineData("alpine:3.19", "alpine")]
    [InlineData("tools", "tools2")]
    public void Other_names_do_not_match(string name, string reference) =>
        Assert.False(new NamedContext(name, NamedContextKind.Image, "x", "f").Matches(reference));

    [Theory]
    [InlineData("noequals", "want NAME=VALUE")]
    [InlineData("=/tmp", "want NAME=VALUE")]
    [InlineData("name=", "want NAME=VALUE")]
    [InlineData("x=docker-image://", "needs an image reference")]
    [InlineData("scratch=docker-image://busybox", "\"scratch\" is reserved")]
    [InlineData("x=oci-layout://", "want oci-layout://PATH[:TAG|@DIGEST]")]
    [InlineData("x=oci-layout://dir@sha256:nothex", "is not a digest")]
    [InlineData("x=https://example.org/src.tar.gz", "https contexts are not supported")]
    [InlineData("x=git://example.org/repo?colour=red", "unknown query key \"colour\"")]
    public void Bad_values_are_one_line_errors_naming_the_flag_value(string flag, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => NamedContext.Parse(flag, _tempDir.Path));
        Assert.StartsWith($"--build-context \"{flag}\": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("oci-layout://lay", "lay", "latest")]
    [InlineData("oci-layout://lay:v1", "lay", "v1")]
    [InlineData("oci-layout://./a:b/lay", "a:b/lay", "latest")]
    [InlineData("oci-layout://lay@sha256:0000000000000000000000000000000000000000000000000000000000000000", "lay", "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public void Oci_layout_takes_a_tag_after_the_last_path_component_or_a_digest(string value, string path, string reference)
    {
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, path));
        File.WriteAllText(Path.Combine(_tempDir.Path, path, "index.json"), "{}");

        var c = NamedContext.Parse("lay=" + value, _tempDir.Path);

        Assert.Equal((NamedContextKind.OciLayout, Path.GetFullPath(Path.Combine(_tempDir.Path, path)), reference), (c.Kind, c.Value, c.LayoutReference));
    }

    [Theory]
    [InlineData("git@github.com:moby/buildkit.git#v0.12")]
    [InlineData("git://example.org/repo")]
    [InlineData("https://example.org/repo.git#main:sub")]
    public void Git_urls_are_git_contexts(string value) =>
        Assert.Equal((NamedContextKind.Git, value), (NamedContext.Parse("src=" + value, _tempDir.Path).Kind, NamedContext.Parse("src=" + value, _tempDir.Path).Value));

    [Fact]
    public void A_missing_directory_is_not_found_naming_the_path()
    {
        var ex = Assert.Throws<NotFoundException>(() => NamedContext.Parse("src=missing", _tempDir.Path));
        Assert.Equal($"--build-context \"src=missing\": directory {Path.Combine(_tempDir.Path, "missing")} not found", ex.Message);
    }
}
