using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Http;

namespace Strata.Build.IntegrationTests.Git;

/// <summary>
/// ADD of git repositories served by a real <c>git daemon</c> on 127.0.0.1: branch, tag
/// (lightweight and annotated), full and abbreviated commit hashes, <c>#ref:subdir</c> and the
/// <c>?ref=&amp;subdir=</c> query add that commit's tree with git's modes, owned by root (or
/// --chown), without .git unless --keep-git-dir; the commit is the cache key; bad refs, subdirs
/// and remotes fail with one line naming the Dockerfile line, the remote and the ref. A
/// <c>.git</c> http URL goes through git's smart HTTP (<c>git http-backend</c>); https is not
/// tested: there is no TLS git server offline.
/// No differential case: docker 20.10's BuildKit 0.8 frontend (dockerfile 1.2) has no ADD git (it
/// came in dockerfile 1.5-labs): it takes <c>git://h/r</c> for a context path ("failed to walk
/// .../git:/h") and GETs an <c>http://.../r.git</c> URL as a file; a newer frontend image cannot
/// be pulled offline.
/// </summary>
public sealed class GitAddTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public GitAddTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Branch_tag_and_commit_refs_add_that_commits_tree_with_git_modes_owned_by_root()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-refs");
        var (_, first, second) = await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var url = daemon.Url("repo");
        var strata = await _base.NewStoreAsync("git-refs-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
            FROM base:1
            ADD {url} /head/
            ADD {url}#main /branch
            ADD {url}#v1 /tag/
            ADD {url}?ref=v1-annotated /annotated/
            ADD {url}#{first} /full-hash/
            ADD {url}#{second[..8]} /short-hash/
            ADD {url}#v1:sub /subdir/
            ADD {url}?ref=main&subdir=sub/deep /query-subdir/
            ADD --chown=7:8 {url}#v1 /owned/
            ADD --exclude=**/*.sh {url}#v1 /excluded/
            """);

        (await strata.RunAsync("build", "-q", "-t", "git:1", context)).EnsureSuccess();

        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "git:1", root);
        foreach (var dir in (string[])["head", "branch", "short-hash"])
        {
            Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(root, dir, "a.txt")));
            Assert.Equal("new\n", await File.ReadAllTextAsync(Path.Combine(root, dir, "b.txt")));
            Assert.False(Directory.Exists(Path.Combine(root, dir, ".git")));
        }
        foreach (var dir in (string[])["tag", "annotated", "full-hash", "owned"])
        {
            Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(root, dir, "a.txt")));
            Assert.False(File.Exists(Path.Combine(root, dir, "b.txt")));
        }
        AssertEntry(root, "tag", "0755", "0:0");
        AssertEntry(root, "tag/a.txt", "0644", "0:0");
        AssertEntry(root, "tag/sub", "0755", "0:0");
        AssertEntry(root, "tag/sub/run.sh", "0755", "0:0");
        AssertEntry(root, "tag/sub/deep/d.txt", "0644", "0:0");
        Assert.Equal("a.txt", new FileInfo(Path.Combine(root, "tag/link")).LinkTarget);
        AssertEntry(root, "owned/a.txt", "0644", "7:8");
        AssertEntry(root, "owned/sub/run.sh", "0755", "7:8");
        Assert.False(File.Exists(Path.Combine(root, "excluded/sub/run.sh")));
        Assert.True(File.Exists(Path.Combine(root, "excluded/sub/deep/d.txt")));
        // A subdir's contents land in the destination, as a context directory's do.
        Assert.Equal("#!/bin/sh\necho one\n", await File.ReadAllTextAsync(Path.Combine(root, "subdir/run.sh")));
        Assert.Equal("deep\n", await File.ReadAllTextAsync(Path.Combine(root, "subdir/deep/d.txt")));
        Assert.False(File.Exists(Path.Combine(root, "subdir/a.txt")));
        Assert.Equal(["d.txt"], Directory.GetFileSystemEntries(Path.Combine(root, "query-subdir")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_commit_is_the_cache_key_a_new_commit_on_the_branch_reruns_the_step()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-cache");
        var (repo, _, _) = await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync("git-cache-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {daemon.Url("repo")}#main /src/\n");
        string[] build = ["build", "--progress", "plain", "-t", "cached:1", context];

        Assert.Contains("#2 CACHE MISS", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHED", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);

        await repo.WriteAsync("a.txt", "three\n");
        await repo.CommitAsync("three");
        Assert.Contains("#2 CACHE MISS", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);
        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "cached:1", root);
        Assert.Equal("three\n", await File.ReadAllTextAsync(Path.Combine(root, "src/a.txt")));
        Assert.Contains("#2 CACHED", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_git_dir_keeps_a_git_directory_checked_out_at_the_commit()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-keep");
        var (_, first, _) = await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync("git-keep-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD --keep-git-dir {daemon.Url("repo")}#v1 /src\n");

        (await strata.RunAsync("build", "-q", "-t", "keep:1", context)).EnsureSuccess();

        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "keep:1", root);
        var kept = await TestRepository.OpenAsync(Path.Combine(root, "src"));
        Assert.Equal(first, await kept.GitAsync("rev-parse", "HEAD"));
        Assert.Equal("", await kept.GitAsync("status", "--porcelain"));
        Assert.Equal(daemon.Url("repo"), await kept.GitAsync("remote", "get-url", "origin"));
    }

    [Fact]
    public async Task Submodules_are_checked_out_recursively_from_the_remote_without_git_files()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-submodules");
        var served = Path.Combine(work, "served");
        var library = await TestRepository.InitAsync(Path.Combine(served, "library"));
        await library.WriteAsync("lib.txt", "library\n");
        await library.CommitAsync("library");
        var (app, _, _) = await TwoCommitRepoAsync(Path.Combine(served, "app"));
        // A relative URL: resolved against the superproject's remote, so the build fetches it from the daemon too.
        await app.GitAsync("submodule", "add", "-q", "../library", "vendor/library");
        await app.CommitAsync("add submodule");
        await using var daemon = await GitDaemon.StartAsync(served);
        var strata = await _base.NewStoreAsync("git-submodules-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {daemon.Url("app")}#main /src/\n");

        (await strata.RunAsync("build", "-q", "-t", "sub:1", context)).EnsureSuccess();

        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "sub:1", root);
        Assert.Equal("library\n", await File.ReadAllTextAsync(Path.Combine(root, "src/vendor/library/lib.txt")));
        AssertEntry(root, "src/vendor/library/lib.txt", "0644", "0:0");
        Assert.False(Path.Exists(Path.Combine(root, "src/.git")));
        Assert.False(Path.Exists(Path.Combine(root, "src/vendor/library/.git")));
        Assert.True(File.Exists(Path.Combine(root, "src/.gitmodules")));
    }

    [Fact]
    public async Task A_dot_git_http_url_is_fetched_with_the_smart_http_protocol_not_downloaded()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-http");
        var served = Path.Combine(work, "served");
        var (repo, _, second) = await TwoCommitRepoAsync(Path.Combine(work, "source"));
        await repo.GitAsync("clone", "-q", "--bare", repo.Path, Path.Combine(served, "repo.git"));
        await using var server = await GitHttpServer.StartAsync(served, Path.Combine(work, "http"));
        var strata = await _base.NewStoreAsync("git-http-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD --checksum={second} {server.Url("repo.git")}#main:sub /src/\n");

        (await strata.RunAsync("build", "-q", "-t", "http:1", context)).EnsureSuccess();

        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "http:1", root);
        AssertEntry(root, "src/run.sh", "0755", "0:0");
        Assert.Equal("deep\n", await File.ReadAllTextAsync(Path.Combine(root, "src/deep/d.txt")));
        // Only git's endpoints were asked for: the URL was never fetched as a file.
        Assert.Contains("POST /repo.git/git-upload-pack 200", server.Requests());
        Assert.All(server.Requests(), r => Assert.Contains("/repo.git/", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checksum_is_the_commit_hash_and_a_different_commit_fails()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-checksum");
        var (_, first, second) = await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync("git-checksum-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD --checksum={second} {daemon.Url("repo")}#main /src/\n");
        (await strata.RunAsync("build", "-q", "-t", "sum:1", context)).EnsureSuccess();

        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD --checksum={first} {daemon.Url("repo")}#main /src/\n");
        var result = await strata.RunAsync("build", "-q", "-t", "sum:2", context);

        var error = OneErrorLine(result);
        Assert.Contains("Dockerfile:2", error, StringComparison.Ordinal);
        Assert.Contains(first, error, StringComparison.Ordinal);
        Assert.Contains(second, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#no-such-branch", "no-such-branch", "couldn't find remote ref")]
    [InlineData("#main:no/such/dir", "main", "no/such/dir")]
    [InlineData("#deadbeef", "deadbeef", "no commit deadbeef")]
    public async Task A_bad_ref_or_subdir_fails_with_one_line_naming_the_line_url_and_ref(string suffix, string reference, string cause)
    {
        var name = "git-bad-" + reference.Replace('/', '-');
        var (work, context) = HttpTestFolders.Create(_base.Root, name);
        await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync(name + "-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nRUN true\nADD {daemon.Url("repo")}{suffix} /src/\n");

        var error = OneErrorLine(await strata.RunAsync("build", "-t", "bad:1", context));

        Assert.StartsWith("Error: Dockerfile:3", error, StringComparison.Ordinal);
        Assert.Contains(daemon.Url("repo"), error, StringComparison.Ordinal);
        Assert.Contains("ref " + reference, error, StringComparison.Ordinal);
        Assert.Contains(cause, error, StringComparison.Ordinal);
        // Nothing was named, and the store still builds.
        StrataExit.AssertFailed((await strata.RunAsync("inspect", "bad:1")).ExitCode, "(await strata.RunAsync(\"inspect\", \"bad:1\"))");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {daemon.Url("repo")}#v1 /src/\n");
        (await strata.RunAsync("build", "-q", "-t", "good:1", context)).EnsureSuccess();
    }

    [Fact]
    public async Task A_git_source_beside_other_sources_is_refused_naming_them()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-mixed");
        await TwoCommitRepoAsync(Path.Combine(work, "served", "repo"));
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync("git-mixed-store");
        await File.WriteAllTextAsync(Path.Combine(context, "local.txt"), "local\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {daemon.Url("repo")}#v1 local.txt /src/\n");

        var error = OneErrorLine(await strata.RunAsync("build", "-t", "mixed:1", context));

        Assert.StartsWith("Error: Dockerfile:2", error, StringComparison.Ordinal);
        Assert.Contains("only source", error, StringComparison.Ordinal);
        Assert.Contains(daemon.Url("repo") + "#v1 local.txt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_repository_fails_with_one_line_naming_it()
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, "git-unreachable");
        await using var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var strata = await _base.NewStoreAsync("git-unreachable-store");
        var url = daemon.Url("missing-repo");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {url}#main /src/\n");

        var error = OneErrorLine(await strata.RunAsync("build", "-t", "u:1", context));

        Assert.StartsWith("Error: Dockerfile:2", error, StringComparison.Ordinal);
        Assert.Contains(url + " at ref main", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Commit one: a.txt "one", sub/run.sh (0755), sub/deep/d.txt, link -> a.txt; tagged v1 and
    /// v1-annotated. Commit two on main: a.txt "two", b.txt "new".
    /// </summary>
    private static async Task<(TestRepository Repo, string First, string Second)> TwoCommitRepoAsync(string path)
    {
        var repo = await TestRepository.InitAsync(path);
        await repo.WriteAsync("a.txt", "one\n");
        await repo.WriteAsync("sub/run.sh", "#!/bin/sh\necho one\n", executable: true);
        await repo.WriteAsync("sub/deep/d.txt", "deep\n");
        File.CreateSymbolicLink(Path.Combine(path, "link"), "a.txt");
        var first = await repo.CommitAsync("one");
        await repo.GitAsync("tag", "v1");
        await repo.GitAsync("tag", "-a", "-m", "annotated", "v1-annotated");
        await repo.WriteAsync("a.txt", "two\n");
        await repo.WriteAsync("b.txt", "new\n");
        var second = await repo.CommitAsync("two");
        return (repo, first, second);
    }

    private static string OneErrorLine(ProcessResult result)
    {
        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        return Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
    }

    private static void AssertEntry(string root, string path, string mode, string owner)
    {
        var s = Strata.Core.Unix.Libc.Lstat(Path.Combine(root, path));
        Assert.Equal(mode, Convert.ToString((int)s.Permissions, 8).PadLeft(4, '0'));
        Assert.Equal(owner, $"{s.Uid}:{s.Gid}");
    }
}
