using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Http;

/// <summary>
/// ADD &lt;url&gt; downloads are build cache, as BuildKit's http sources are: <c>system df</c>
/// counts their bytes, <c>builder prune</c> (with and without --all, --filter until,
/// --keep-storage) removes them and the next build fetches the URL in full again, and an entry
/// whose lock a build holds (fetching it right now) survives a prune. A real loopback server
/// (python3 http.server) and the real CLI; a real <c>flock</c> process holds the lock.
/// </summary>
public sealed partial class HttpCachePruneTests : IClassFixture<BaseStore>
{
    private const int BigSize = 3_000_000;
    private static readonly DateTime ServedMtime = new(2022, 5, 6, 7, 8, 9, DateTimeKind.Utc);
    private readonly BaseStore _base;

    public HttpCachePruneTests(BaseStore store) => _base = store;

    [Fact]
    public async Task System_df_counts_a_download_and_builder_prune_removes_it_so_the_next_build_fetches_again()
    {
        var (work, context) = Folders("dl-prune");
        await using var server = await ServeAsync(work);
        var strata = await _base.NewStoreAsync("dl-prune-store");
        var url = server.Url("big.bin");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {url} /big.bin\n");
        string[] build = ["build", "--progress", "plain", "-t", "dl:1", context];
        (await strata.RunAsync(build)).EnsureSuccess();
        var (entry, id) = Entry(strata, url);
        Assert.True(Directory.Exists(entry), "the build kept no download entry");

        // The image holds the ADD layer, so the cache's own bytes are the download's.
        var row = CacheRow().Match((await strata.RunAsync("system", "df")).EnsureSuccess().Stdout);
        Assert.True(row.Success, "no Build Cache row");
        Assert.Equal("3MB", row.Groups["size"].Value);
        Assert.Equal("3MB", row.Groups["reclaimable"].Value); // docker prints no percentage for Build Cache
        Assert.Matches(new Regex($@"(?m)^{id}\s+regular\s+3MB\s"), (await strata.RunAsync("system", "df", "-v")).EnsureSuccess().Stdout);

        // Without --all: the download goes (as BuildKit prunes an http record without --all).
        var pruned = (await strata.RunAsync("builder", "prune", "-f")).EnsureSuccess().Stdout;
        Assert.Contains(id, pruned, StringComparison.Ordinal);
        Assert.Contains("Total reclaimed space: 3MB", pruned, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "builder prune left the download");
        Assert.False(File.Exists(entry + ".url"), "builder prune left the download's URL file");
        Assert.DoesNotMatch(new Regex($"(?m)^{id}"), (await strata.RunAsync("system", "df", "-v")).EnsureSuccess().Stdout);

        // Nothing is remembered: a full GET (200, not a conditional 304), same bytes, same key.
        var again = (await strata.RunAsync(build)).EnsureSuccess();
        Assert.Contains("#2 CACHED", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(["\"GET /big.bin HTTP/1.1\" 200 -", "\"GET /big.bin HTTP/1.1\" 200 -"], server.Requests());
        Assert.True(Directory.Exists(entry), "the rebuild stored no download");

        // --all removes it too.
        Assert.Contains(id, (await strata.RunAsync("builder", "prune", "-af")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "builder prune --all left the download");
        (await strata.RunAsync(build)).EnsureSuccess();
        Assert.Equal("\"GET /big.bin HTTP/1.1\" 200 -", server.Requests()[^1]);
    }

    [Fact]
    public async Task Filter_until_keeps_a_fresh_download_and_keep_storage_counts_its_bytes()
    {
        var (work, context) = Folders("dl-until");
        await using var server = await ServeAsync(work);
        var strata = await _base.NewStoreAsync("dl-until-store");
        var url = server.Url("big.bin");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {url} /big.bin\n");
        string[] build = ["build", "-q", "-t", "dl:1", context];
        (await strata.RunAsync(build)).EnsureSuccess();
        var (entry, id) = Entry(strata, url);

        // Used within the hour, or within a 10MB budget: kept.
        Assert.DoesNotContain(id, (await strata.RunAsync("builder", "prune", "-af", "--filter", "until=1h")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(id, (await strata.RunAsync("builder", "prune", "-af", "--keep-storage", "10MB")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(entry), "a fresh download within the budget was pruned");

        // Last used two hours ago: until=1h takes it.
        File.SetLastWriteTimeUtc(entry + ".url", DateTime.UtcNow - TimeSpan.FromHours(2));
        var old = (await strata.RunAsync("builder", "prune", "-f", "--filter", "until=1h")).EnsureSuccess().Stdout;
        Assert.Contains(id, old, StringComparison.Ordinal);
        Assert.Contains("Total reclaimed space: 3MB", old, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "a download unused for two hours survived until=1h");

        // Fresh again, but 3MB over a 1MB budget: it goes.
        (await strata.RunAsync(build)).EnsureSuccess();
        Assert.Contains(id, (await strata.RunAsync("builder", "prune", "-f", "--keep-storage", "1MB")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry), "a download over --keep-storage survived");
    }

    [Fact]
    public async Task A_download_whose_lock_is_held_survives_a_prune_and_a_build_waiting_on_it_finishes_after()
    {
        var (work, context) = Folders("dl-held");
        await using var server = await ServeAsync(work);
        var strata = await _base.NewStoreAsync("dl-held-store");
        var url = server.Url("big.bin");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nADD {url} /big.bin\n");
        string[] build = ["build", "--progress", "plain", "-t", "dl:1", context];
        (await strata.RunAsync(build)).EnsureSuccess();
        var (entry, id) = Entry(strata, url);

        // Another process holds the entry's lock, as a build does while it fetches the URL.
        Task<ProcessResult> waiting;
        await using (await FlockHolder.HoldAsync(entry + ".lock", work))
        {
            // A build needing the URL now waits for the lock (it must neither fail nor fetch around it).
            waiting = strata.RunAsync(build);

            Assert.Matches(new Regex($@"(?m)^{id}\*\s+regular\s"), (await strata.RunAsync("system", "df", "-v")).EnsureSuccess().Stdout);
            // Without --all, so the ADD step's record (its layer is the image's) stays for the waiting build.
            var pruned = (await strata.RunAsync("builder", "prune", "-f")).EnsureSuccess().Stdout;
            Assert.DoesNotContain(id, pruned, StringComparison.Ordinal);
            Assert.True(Directory.Exists(entry), "a prune removed a download whose lock was held");
            Assert.True(File.Exists(entry + ".url"), "a prune removed the URL file of a download whose lock was held");
        }

        // Released: the waiting build revalidated the kept download (304) and hit the cache.
        var result = (await waiting).EnsureSuccess();
        Assert.Contains("#2 CACHED", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["\"GET /big.bin HTTP/1.1\" 200 -", "\"GET /big.bin HTTP/1.1\" 304 -"], server.Requests());
        // And now nothing holds it: a prune takes it.
        Assert.Contains(id, (await strata.RunAsync("builder", "prune", "-f")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(entry));
    }

    /// <summary>The entry directory of <paramref name="url"/> and the ID prune and df show for it (25 hex digits of the URL's sha256).</summary>
    private static (string Directory, string Id) Entry(StrataCli strata, string url)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
        return (Path.Combine(strata.StoreRoot, "http-cache", key), key[..25]);
    }

    private (string Work, string Context) Folders(string name) => HttpTestFolders.Create(_base.Root, name);

    /// <summary>Serves big.bin: 3,000,000 bytes with a fixed mtime (so a revalidation gets 304).</summary>
    private static async Task<LoopbackHttpServer> ServeAsync(string work)
    {
        var served = Path.Combine(work, "served");
        Directory.CreateDirectory(served);
        var big = Path.Combine(served, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[BigSize]);
        File.SetLastWriteTimeUtc(big, ServedMtime);
        return await LoopbackHttpServer.StartAsync(served);
    }

    [GeneratedRegex(@"(?m)^Build Cache\s+\d+\s+\d+\s+(?<size>\S+)\s+(?<reclaimable>\S+)[ \t]*$")]
    private static partial Regex CacheRow();
}
