using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Http;

namespace Strata.Build.IntegrationTests.Git;

/// <summary>
/// ADD &lt;git&gt; clones are build cache, as BuildKit's git sources are: <c>system df</c> counts
/// their bytes and <c>-v</c> lists them as <c>source.git.checkout</c> naming the remote;
/// <c>builder prune</c> removes an idle clone with and without --all (BuildKit keeps only
/// internal, frontend and shared records without --all), honours <c>--filter until=</c> against
/// the clone's last use (every build that resolves the ref uses it, CACHED or not), counts its
/// bytes against <c>--keep-storage</c> and keeps a clone whose lock is held; the next build
/// fetches the remote again; <c>system check</c> finds and <c>--repair</c> removes a
/// half-removed clone. A real <c>git daemon</c>, the real CLI and a real <c>flock</c> holder.
/// </summary>
public sealed partial class GitCachePruneTests : IClassFixture<BaseStore>
{
    private const int BigSize = 3_000_000;
    private readonly BaseStore _base;

    public GitCachePruneTests(BaseStore store) => _base = store;

    [Fact]
    public async Task System_df_lists_a_clone_as_source_git_checkout_and_builder_prune_removes_it_so_the_next_ADD_fetches_again()
    {
        await using var scene = await BuiltOnceAsync("git-prune");
        var (work, repo, url, strata, build, entry, id) = (scene.Work, scene.Repo, scene.Url, scene.Strata, scene.Build, scene.Entry, scene.Id);
        Assert.True(Directory.Exists(Path.Combine(entry, "objects")), "the build kept no clone");

        // The image holds the ADD layer, so the cache's own bytes are the clone's (3MB of random data, packed).
        var row = CacheRow().Match((await strata.RunAsync("system", "df")).EnsureSuccess().Stdout);
        Assert.True(row.Success, "no Build Cache row");
        Assert.Matches(ThreeMegabytes(), row.Groups["size"].Value);
        Assert.Matches(new Regex($@"(?m)^{id}\s+source\.git\.checkout\s+3(\.\d+)?MB\s"), (await strata.RunAsync("system", "df", "-v")).EnsureSuccess().Stdout);
        var listed = await CacheRecordAsync(strata, id);
        Assert.NotNull(listed);
        Assert.Equal(("source.git.checkout", "shared git repo for " + url, "false"), (Text(listed.Value, "Type"), Text(listed.Value, "Description"), Text(listed.Value, "InUse")));
        Assert.Matches(ThreeMegabytes(), Text(listed.Value, "Size"));

        // Without --all: the clone goes (BuildKit prunes a source.git.checkout record without --all).
        var pruned = (await strata.RunAsync("builder", "prune", "-f")).EnsureSuccess().Stdout;
        Assert.Contains(id, pruned, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"Total reclaimed space: 3(\.\d+)?MB"), pruned);
        Assert.False(Directory.Exists(entry), "builder prune left the clone");
        Assert.False(File.Exists(entry + ".url"), "builder prune left the clone's remote file");
        // The lock file stays: a build may have it open, and a new file would be a second lock.
        Assert.True(File.Exists(entry + ".lock"), "builder prune deleted the clone's lock file");
        Assert.Null(await CacheRecordAsync(strata, id));

        // The ADD step's record (its layer is the image's) stayed: CACHED, after fetching the remote again.
        var again = (await strata.RunAsync(build)).EnsureSuccess();
        Assert.Contains("#2 CACHED", again.Stderr, StringComparison.Ordinal);
        var head = await repo.GitAsync("rev-parse", "HEAD");
        Assert.Equal(head, await (await TestRepository.OpenAsync(entry)).GitAsync("rev-parse", "--verify", "refs/strata/" + head));

        // --all removes it too; a new commit then builds from a fresh clone.
        await repo.WriteAsync("a.txt", "two\n");
        await repo.CommitAsync("two");
        Assert.Contains(id, (await strata.RunAsync("builder", "prune", "-af")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "builder prune --all left the clone");
        Assert.Contains("#2 CACHE MISS", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);
        var root = Path.Combine(work, "rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "git:1", root);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(root, "src/a.txt")));
        Assert.Equal(BigSize, new FileInfo(Path.Combine(root, "src/big.bin")).Length);
    }

    [Fact]
    public async Task Filter_until_follows_the_clones_last_use_and_a_held_lock_keeps_it()
    {
        await using var scene = await BuiltOnceAsync("git-until");
        var (work, strata, build, entry, id) = (scene.Work, scene.Strata, scene.Build, scene.Entry, scene.Id);
        var twoHoursAgo = DateTime.UtcNow - TimeSpan.FromHours(2);

        // Used within the hour, or within a 10MB budget: kept.
        Assert.DoesNotContain(id, (await strata.RunAsync("builder", "prune", "-af", "--filter", "until=1h")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(id, (await strata.RunAsync("builder", "prune", "-af", "--keep-storage", "10MB")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(entry), "a fresh clone within the budget was pruned");

        // Last used two hours ago, then a build whose ADD step is CACHED: it fetched the ref into
        // the clone to know the commit, so the clone counts as used now and until=1h keeps it.
        File.SetLastWriteTimeUtc(entry + ".url", twoHoursAgo);
        Assert.Contains("#2 CACHED", (await strata.RunAsync(build)).EnsureSuccess().Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(id, (await strata.RunAsync("builder", "prune", "-f", "--filter", "until=1h")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(entry), "a clone a CACHED step just used was pruned by until=1h");

        // Two hours idle again, but another process holds its lock, as a build does while it fetches.
        File.SetLastWriteTimeUtc(entry + ".url", twoHoursAgo);
        Task<ProcessResult> waiting;
        await using (await FlockHolder.HoldAsync(entry + ".lock", work))
        {
            // A build needing the remote now waits for the lock (it must neither fail nor fetch around it).
            waiting = strata.RunAsync(build);

            Assert.Matches(new Regex($@"(?m)^{id}\*\s+source\.git\.checkout\s"), (await strata.RunAsync("system", "df", "-v")).EnsureSuccess().Stdout);
            // Without --all, so the ADD step's record (its layer is the image's) stays for the waiting build.
            var pruned = (await strata.RunAsync("builder", "prune", "-f", "--filter", "until=1h")).EnsureSuccess().Stdout;
            Assert.DoesNotContain(id, pruned, StringComparison.Ordinal);
            Assert.True(Directory.Exists(entry), "a prune removed a clone whose lock was held");
            Assert.True(File.Exists(entry + ".url"), "a prune removed the remote file of a clone whose lock was held");
        }

        // Released: the waiting build fetched into the kept clone and hit the cache.
        Assert.Contains("#2 CACHED", (await waiting).EnsureSuccess().Stderr, StringComparison.Ordinal);
        // Idle two hours once more and nothing holds it: until=1h takes it.
        File.SetLastWriteTimeUtc(entry + ".url", twoHoursAgo);
        var old = (await strata.RunAsync("builder", "prune", "-f", "--filter", "until=1h")).EnsureSuccess().Stdout;
        Assert.Contains(id, old, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "a clone unused for two hours survived until=1h");

        // Fresh again (the build fetched it anew), but 3MB over a 1MB budget: it goes.
        (await strata.RunAsync(build)).EnsureSuccess();
        Assert.True(Directory.Exists(entry), "the build after the prune kept no clone");
        Assert.Contains(id, (await strata.RunAsync("builder", "prune", "-f", "--keep-storage", "1MB")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "a clone over --keep-storage survived");
    }

    [Fact]
    public async Task System_check_reports_a_half_removed_clone_and_repair_removes_it_but_not_a_stranger()
    {
        var strata = await _base.NewStoreAsync("git-check-store");
        var cacheRoot = Path.Combine(strata.StoreRoot, "git-cache");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("git://127.0.0.1:1/repo")));
        // What a prune killed between renaming the clone aside and deleting it leaves.
        var leftover = Path.Combine(cacheRoot, key + ".del-x");
        Directory.CreateDirectory(Path.Combine(leftover, "objects", "pack"));
        await File.WriteAllBytesAsync(Path.Combine(leftover, "objects", "pack", "half.pack"), new byte[700]);
        var stranger = Path.Combine(cacheRoot, "not-a-key");
        Directory.CreateDirectory(stranger);

        var check = (await strata.RunAsync("system", "check")).EnsureSuccess().Stdout;
        Assert.Contains($"unused: directory {leftover} is a half-removed ADD git clone", check, StringComparison.Ordinal);
        Assert.True(Directory.Exists(leftover), "system check without --repair removed something");

        var repair = (await strata.RunAsync("system", "check", "--repair")).EnsureSuccess().Stdout;
        Assert.Contains($"repaired: removed {leftover}", repair, StringComparison.Ordinal);
        Assert.DoesNotContain(leftover, repair.Replace($"repaired: removed {leftover}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(Directory.Exists(leftover), "system check --repair left the half-removed clone");
        Assert.True(Directory.Exists(stranger), "system check --repair removed a directory that is no clone");
    }

    /// <summary>
    /// A repository served by a git daemon, a store, and a build of <c>ADD REMOTE#main /src/</c>
    /// in it (tagged git:1) done once, with the clone's directory and ID.
    /// </summary>
    private async Task<Scene> BuiltOnceAsync(string name)
    {
        var (work, context) = HttpTestFolders.Create(_base.Root, name);
        var repo = await BigRepoAsync(Path.Combine(work, "served", "repo"));
        var daemon = await GitDaemon.StartAsync(Path.Combine(work, "served"));
        var url = daemon.Url("repo");
        var strata = await _base.NewStoreAsync(name + "-store");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {url}#main /src/\n");
        string[] build = ["build", "--progress", "plain", "-t", "git:1", context];
        (await strata.RunAsync(build)).EnsureSuccess();
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
        return new Scene(work, repo, daemon, url, strata, build, Path.Combine(strata.StoreRoot, "git-cache", key), key[..25]);
    }

    /// <summary>A repository on branch main with a.txt and 3,000,000 random bytes (so the clone's size shows in MB).</summary>
    private static async Task<TestRepository> BigRepoAsync(string path)
    {
        var repo = await TestRepository.InitAsync(path);
        await repo.WriteAsync("a.txt", "one\n");
        await File.WriteAllBytesAsync(Path.Combine(path, "big.bin"), RandomNumberGenerator.GetBytes(BigSize));
        await repo.CommitAsync("one");
        return repo;
    }

    /// <summary>What <see cref="BuiltOnceAsync"/> made: <see cref="Entry"/> is the clone's directory, <see cref="Id"/> the ID prune and df show for it (25 hex digits of the remote's sha256).</summary>
    private sealed record Scene(string Work, TestRepository Repo, GitDaemon Daemon, string Url, StrataCli Strata, string[] Build, string Entry, string Id) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Daemon.DisposeAsync();
    }

    /// <summary>The build cache record <paramref name="id"/> (with or without the in-use star) of <c>system df -v --format json</c>, or null.</summary>
    private static async Task<JsonElement?> CacheRecordAsync(StrataCli strata, string id)
    {
        using var json = JsonDocument.Parse((await strata.RunAsync("system", "df", "-v", "--format", "json")).EnsureSuccess().Stdout);
        foreach (var record in json.RootElement.GetProperty("BuildCache").EnumerateArray())
            if (Text(record, "ID").TrimEnd('*') == id) return record.Clone();
        return null;
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    [GeneratedRegex(@"(?m)^Build Cache\s+\d+\s+\d+\s+(?<size>\S+)\s+(?<reclaimable>\S+)[ \t]*$")]
    private static partial Regex CacheRow();

    [GeneratedRegex(@"^3(\.\d+)?MB$")]
    private static partial Regex ThreeMegabytes();
}
