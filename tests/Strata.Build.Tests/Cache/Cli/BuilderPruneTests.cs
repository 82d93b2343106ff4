using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// <c>builder prune</c>, <c>system df</c>'s Build Cache row and how rmi treats cache layers,
/// on real builds: which records remain, which layer blobs leave blobs/ and that image layers stay.
/// </summary>
public sealed partial class BuilderPruneTests : IDisposable
{
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string BlobDir => Path.Combine(_cli.Store, "blobs", "sha256");

    private HashSet<string> Blobs() => [.. Directory.EnumerateFiles(BlobDir).Select(Path.GetFileName).OfType<string>()];

    /// <summary>Builds <paramref name="dockerfile"/> tagged <paramref name="tag"/>; returns the blobs it added that outlive rmi (its layers).</summary>
    private async Task<HashSet<string>> BuildThenRmiAsync(string dockerfile, string tag)
    {
        var before = Blobs();
        _cli.Write("Dockerfile", dockerfile);
        await _cli.BuildAsync("-t", tag);
        await _cli.RunOkAsync("rmi", tag);
        var layers = Blobs();
        layers.ExceptWith(before);
        return layers;
    }

    /// <summary>A file of random bytes (gzip cannot shrink it), so a layer holding it has a known size.</summary>
    private void WriteRandom(string name, int bytes) => File.WriteAllBytes(Path.Combine(_cli.Context, name), RandomNumberGenerator.GetBytes(bytes));

    private async Task<string> Stdout(params string[] args)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(args);
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    /// <summary>TOTAL and ACTIVE of system df's Build Cache row.</summary>
    private async Task<(int Total, int Active)> CacheRowAsync()
    {
        var m = CacheRow().Match(await Stdout("system", "df"));
        Assert.True(m.Success);
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Rmi_keeps_cache_layers_and_a_default_prune_frees_them_but_not_the_base()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var baseBlobs = Blobs();
        var layers = await BuildThenRmiAsync("FROM bb:1\nRUN echo one > /one\nRUN echo two > /two\n", "app:1");

        Assert.Equal(2, layers.Count);
        // The layers stayed for the cache: a rebuild hits without running anything.
        var rebuilt = await _cli.BuildAsync("-t", "app:1");
        Assert.All(rebuilt.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.Equal((2, 2), await CacheRowAsync());
        Assert.Contains("0 faults, 0 unused items", await Stdout("system", "check"), StringComparison.Ordinal);

        await _cli.RunOkAsync("rmi", "app:1");
        Assert.Equal((2, 0), await CacheRowAsync());
        var output = await Stdout("builder", "prune", "-f");

        Assert.StartsWith("Deleted build cache objects:\n", output, StringComparison.Ordinal);
        Assert.Matches(@"Total reclaimed space: \d+(\.\d+)?k?B\n$", output);
        Assert.Equal(2, output.Split('\n').Count(l => Regex.IsMatch(l, "^[0-9a-f]{25}$")));
        Assert.Empty(layers.Intersect(Blobs()));
        Assert.True(baseBlobs.IsSubsetOf(Blobs()), "a base image blob was removed");
        Assert.Equal((0, 0), await CacheRowAsync());
    }

    [Fact]
    public async Task Keep_storage_removes_the_least_recently_used_records_first()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        WriteRandom("old.bin", 200_000);
        WriteRandom("new.bin", 200_000);
        var old = await BuildThenRmiAsync("FROM bb:1\nCOPY old.bin /old.bin\n", "old:1");
        var recent = await BuildThenRmiAsync("FROM bb:1\nCOPY new.bin /new.bin\n", "new:1");

        // Room for one of the two layers: the older one goes.
        var output = await Stdout("builder", "prune", "--keep-storage", "300KB", "-f");

        Assert.Contains("Deleted build cache objects:", output, StringComparison.Ordinal);
        Assert.Empty(old.Intersect(Blobs()));
        Assert.True(recent.IsSubsetOf(Blobs()), "the recent layer was removed");
        Assert.Equal((1, 0), await CacheRowAsync());
    }

    [Fact]
    public async Task Until_removes_only_records_unused_for_longer()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var old = await BuildThenRmiAsync("FROM bb:1\nRUN echo old > /old\n", "old:1");
        var recent = await BuildThenRmiAsync("FROM bb:1\nRUN echo new > /new\n", "new:1");
        // Age the first build's record by two days (the test cannot wait that long).
        await AgeRecordsAsync("echo old", TimeSpan.FromDays(2));

        var kept = await Stdout("builder", "prune", "--filter", "until=72h", "-f");
        var pruned = await Stdout("builder", "prune", "--filter", "until=24h", "-f");

        Assert.Equal("Total reclaimed space: 0B\n", kept);
        Assert.Equal(1, pruned.Split('\n').Count(l => Regex.IsMatch(l, "^[0-9a-f]{25}$")));
        Assert.Empty(old.Intersect(Blobs()));
        Assert.True(recent.IsSubsetOf(Blobs()), "the recent layer was removed");
    }

    [Fact]
    public async Task All_removes_records_shared_with_images_but_never_an_images_layers()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nENV A=1\nRUN echo one > /one\n");
        var first = await _cli.BuildAsync("-t", "app:1");
        var withImage = Blobs();

        var dangling = await Stdout("builder", "prune", "-f");
        Assert.Equal("Total reclaimed space: 0B\n", dangling);
        Assert.Equal((2, 1), await CacheRowAsync());

        var all = await Stdout("builder", "prune", "--all", "-f");

        Assert.Equal(2, all.Split('\n').Count(l => Regex.IsMatch(l, "^[0-9a-f]{25}$")));
        Assert.EndsWith("Total reclaimed space: 0B\n", all, StringComparison.Ordinal);
        Assert.Equal(withImage, Blobs());
        Assert.Equal((0, 0), await CacheRowAsync());
        var rebuilt = await _cli.BuildAsync("-t", "app:1");
        Assert.All(rebuilt.Steps, s => Assert.Contains(": MISS ", s, StringComparison.Ordinal));
        Assert.Contains(first.ImageId[7..19], await Stdout("images"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_prune_removes_dangling_build_cache()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var layers = await BuildThenRmiAsync("FROM bb:1\nRUN echo one > /one\n", "app:1");

        var output = await Stdout("system", "prune", "-f");

        Assert.Contains("Deleted build cache objects:", output, StringComparison.Ordinal);
        Assert.Empty(layers.Intersect(Blobs()));
        Assert.Equal((0, 0), await CacheRowAsync());
    }

    [Fact]
    public async Task System_df_verbose_lists_each_record_with_its_use_count()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo one > /one\n");
        await _cli.BuildAsync("-t", "app:1");
        await _cli.BuildAsync("-t", "app:1");

        var verbose = await Stdout("system", "df", "-v");

        Assert.Contains("CACHE ID                    CACHE TYPE   SIZE      CREATED ", verbose, StringComparison.Ordinal);
        // Used twice (the run that made it, then one hit), its layer shared with app:1. Its size
        // is the stored blob's: uncompressed since issue 17, so kB rather than B.
        Assert.Matches(@"(?m)^[0-9a-f]{25}   regular      [\d.]+k?B\s+.* ago\s+.* ago\s+2\s+true$", verbose);
    }

    [Theory]
    [InlineData("--keep-storage", "lots", "--keep-storage \"lots\": not a size")]
    [InlineData("--filter", "until=soon", "--filter until=soon: not a duration")]
    [InlineData("--filter", "label=x", "invalid filter \"label\"")]
    public async Task Bad_prune_flags_fail_with_one_line(string flag, string value, string message)
    {
        await _cli.ImportBusyboxAsync("bb:1");

        var (exit, _, stderr) = await _cli.RunAsync(["builder", "prune", flag, value]);

        StrataExit.AssertFailed(exit, stderr);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private async Task AgeRecordsAsync(string createdByContains, TimeSpan age)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_cli.Store, "metadata.db")}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE build_cache SET last_used = $t WHERE created_by LIKE $p";
        cmd.Parameters.AddWithValue("$t", DateTime.UtcNow.Subtract(age).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$p", "%" + createdByContains + "%");
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    [GeneratedRegex(@"(?m)^Build Cache\s+(\d+)\s+(\d+)\s")]
    private static partial Regex CacheRow();
}
