using Strata.Build.FileOps;
using Strata.Core;

namespace Strata.Build.Tests.FileOps;

/// <summary>Which ADD sources are git repositories, and how BuildKit's fragment and query forms split into remote, ref and subdir.</summary>
public sealed class GitReferenceTests
{
    [Theory]
    [InlineData("git@github.com:moby/buildkit.git", true)]
    [InlineData("git://127.0.0.1:9418/repo", true)]
    [InlineData("https://github.com/moby/buildkit.git", true)]
    [InlineData("https://github.com/moby/buildkit.git#v0.10.1", true)]
    [InlineData("https://github.com/moby/buildkit.git?ref=main", true)]
    [InlineData("http://example.com/repo.git/", true)]
    [InlineData("https://example.com/file.tar.gz", false)]
    [InlineData("https://example.com/a.git.txt", false)]
    [InlineData("local.git", false)]
    [InlineData("dir/", false)]
    public void Git_sources_are_git_at_git_scheme_or_urls_ending_in_dot_git(string source, bool expected) =>
        Assert.Equal(expected, GitReference.IsGitSource(source));

    [Theory]
    [InlineData("git://h/r", "git://h/r", null, null)]
    [InlineData("git://h/r#main", "git://h/r", "main", null)]
    [InlineData("git://h/r#v1:sub/dir", "git://h/r", "v1", "sub/dir")]
    [InlineData("git://h/r#:sub", "git://h/r", null, "sub")]
    [InlineData("git://h/r#main:/", "git://h/r", "main", null)]
    [InlineData("git@github.com:moby/buildkit.git#v0.10.1:docs", "git@github.com:moby/buildkit.git", "v0.10.1", "docs")]
    [InlineData("https://h/r.git?ref=main&subdir=a/b", "https://h/r.git", "main", "a/b")]
    [InlineData("https://h/r.git?tag=v1", "https://h/r.git", "v1", null)]
    [InlineData("https://h/r.git?branch=dev&ref=dev", "https://h/r.git", "dev", null)]
    public void Fragment_and_query_split_into_remote_ref_and_subdir(string source, string remote, string? reference, string? subdir)
    {
        var parsed = GitReference.Parse(source);
        Assert.Equal(new GitReference(source, remote, reference, subdir), parsed);
    }

    [Theory]
    [InlineData("git://h/r?ref=a#b", "both a #fragment and a ?query")]
    [InlineData("git://h/r?depth=1", "unknown query key \"depth\"")]
    [InlineData("git://h/r?branch=a&tag=b", "two different refs")]
    [InlineData("git://h/r#main:../up", "subdir leaving the repository")]
    [InlineData("git://h/r#--upload-pack=x", "invalid ref")]
    public void Malformed_sources_are_refused_naming_them(string source, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => GitReference.Parse(source));
        Assert.Contains(source, ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
