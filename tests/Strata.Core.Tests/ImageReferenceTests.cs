using Strata.Core;

namespace Strata.Core.Tests;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("me/app:1.0", "docker.io/me/app:1.0", "me/app:1.0")]
    [InlineData("localhost:5000/app", "localhost:5000/app:latest", "localhost:5000/app:latest")]
    [InlineData("registry.example.com/a/b/c:v2", "registry.example.com/a/b/c:v2", "registry.example.com/a/b/c:v2")]
    [InlineData("index.docker.io/library/debian:12", "docker.io/library/debian:12", "debian:12")]
    public void Parse_normalizes_like_docker(string text, string full, string familiar)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(full, r.ToString());
        Assert.Equal(familiar, r.Familiar);
    }

    [Fact]
    public void Digest_references_keep_no_default_tag()
    {
        var r = ImageReference.Parse("busybox@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        Assert.Null(r.Tag);
        Assert.NotNull(r.Digest);
    }

    [Theory]
    [InlineData("Busybox")]
    [InlineData("busybox:")]
    [InlineData("busy box")]
    [InlineData("a/../b")]
    [InlineData("")]
    [InlineData("busybox:-bad")]
    public void Parse_rejects_invalid_references(string text)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(text));
        Assert.Contains("invalid reference format", ex.Message, StringComparison.Ordinal);
    }
}
