using Strata.Build.FileOps;
using Strata.Core;

namespace Strata.Build.Tests.FileOps;

/// <summary>ADD URL naming and --checksum parsing, with BuildKit's rules (the fetch itself is tested against a real server in the integration tests).</summary>
public sealed class HttpSourceTests
{
    [Theory]
    [InlineData("https://example.test/files/tool.tar.gz", "tool.tar.gz")]
    [InlineData("https://example.test/files/dir/", "dir")]
    [InlineData("https://example.test/a%20b.txt?x=1#frag", "a b.txt")]
    [InlineData("https://example.test/", HttpSource.UnnamedFile)]
    [InlineData("https://example.test", HttpSource.UnnamedFile)]
    public void File_name_is_the_url_paths_last_segment(string url, string name) =>
        Assert.Equal(name, HttpSource.FileNameOf(url));

    [Fact]
    public void Checksum_must_be_sha256_with_64_hex_digits()
    {
        var hex = new string('a', 64);
        Assert.Equal("sha256:" + hex, HttpSource.ParseChecksum("sha256:" + hex.ToUpperInvariant()).ToString());
        var error = Assert.Throws<InvalidArgumentException>(() => HttpSource.ParseChecksum("md5:abc"));
        Assert.Contains("md5:abc", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidArgumentException>(() => HttpSource.ParseChecksum("sha256:" + new string('g', 64)));
        Assert.Throws<InvalidArgumentException>(() => HttpSource.ParseChecksum("sha256:abc"));
    }

    [Theory]
    [InlineData("http://h/x", true)]
    [InlineData("HTTPS://h/x", true)]
    [InlineData("ftp://h/x", false)]
    [InlineData("http.txt", false)]
    public void Only_http_and_https_are_urls(string source, bool url) => Assert.Equal(url, HttpSource.IsUrl(source));
}
