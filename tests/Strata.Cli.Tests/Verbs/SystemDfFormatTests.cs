using System.Text.Json;
using Strata.Cli.Verbs;
using Strata.Core;
using Strata.Build.Cache.Sources;
using Strata.Build.Cache.Usage;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// <c>system df</c>'s output for a store holding one idle git clone and one download being
/// fetched: the tables, docker's <c>--format json</c> rows (Type, TotalCount, Active, Size,
/// Reclaimable) and, with <c>-v</c>, docker's single object whose BuildCache records carry
/// Type and Description; a template runs once over that object.
/// </summary>
public sealed class SystemDfFormatTests
{
    private const string Remote = "git://127.0.0.1:9418/repo";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static DiskUsageReport Report()
    {
        var clone = SourceCacheLayout.KeyOf(Remote);
        var download = SourceCacheLayout.KeyOf("http://h/f");
        return new DiskUsageReport([], 0, 0, 0, [], 0, 0)
        {
            Sources =
            [
                new SourceCacheEntry(new HttpCacheLayout("/s/http-cache"), download, "http://h/f", "/s/http-cache/" + download, 1000, Now, Now, InUse: true),
                new SourceCacheEntry(new GitCacheLayout("/s/git-cache"), clone, Remote, "/s/git-cache/" + clone, 2_000_000, Now, Now, InUse: false),
            ],
        };
    }

    [Fact]
    public void The_summary_counts_both_and_json_gives_one_docker_row_per_type()
    {
        // docker: totals with HumanSize (four digits), and no percentage on Build Cache's RECLAIMABLE.
        Assert.Matches(@"(?m)^Build Cache\s+2\s+1\s+2.001MB\s+2MB$", SystemVerb.Summary(Report()));

        var rows = SystemVerb.Summary(Report(), "json").TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var cache = Assert.Single(rows, r => r.GetProperty("Type").GetString() == "Build Cache");
        Assert.Equal(("2", "1"), (cache.GetProperty("TotalCount").GetString(), cache.GetProperty("Active").GetString()));
        Assert.Equal(["Images", "Containers", "Local Volumes", "Build Cache"], rows.Select(r => r.GetProperty("Type").GetString()));
    }

    [Fact]
    public void Verbose_lists_the_clone_as_source_git_checkout_and_json_describes_it_by_its_remote()
    {
        var id = SourceCacheLayout.KeyOf(Remote)[..25];
        var downloadId = SourceCacheLayout.KeyOf("http://h/f")[..25];
        var table = SystemVerb.Verbose(Report());
        Assert.Matches($@"(?m)^{id}\s+source\.git\.checkout\s+2MB\s", table);
        Assert.Matches($@"(?m)^{downloadId}\*\s+regular\s+1kB\s", table);

        using var json = JsonDocument.Parse(SystemVerb.Verbose(Report(), "json"));
        var records = json.RootElement.GetProperty("BuildCache").EnumerateArray().ToList();
        var clone = Assert.Single(records, r => r.GetProperty("ID").GetString() == id);
        Assert.Equal(("source.git.checkout", "shared git repo for " + Remote, "false"),
            (clone.GetProperty("Type").GetString(), clone.GetProperty("Description").GetString(), clone.GetProperty("InUse").GetString()));
        var download = Assert.Single(records, r => r.GetProperty("ID").GetString() == downloadId + "*");
        Assert.Equal(("regular", "http url http://h/f", "true"),
            (download.GetProperty("Type").GetString(), download.GetProperty("Description").GetString(), download.GetProperty("InUse").GetString()));
        Assert.Equal(0, json.RootElement.GetProperty("Images").GetArrayLength());
    }

    [Fact]
    public void A_verbose_template_runs_once_over_the_lists_and_a_table_template_is_refused()
    {
        Assert.Equal($"http url http://h/f\nshared git repo for {Remote}\n\n",
            SystemVerb.Verbose(Report(), "{{range .BuildCache}}{{.Description}}\n{{end}}"));
        var error = Assert.Throws<InvalidArgumentException>(() => SystemVerb.Verbose(Report(), "table {{.ID}}"));
        Assert.Equal("system df --verbose takes --format table, json or a template, not table {{.ID}}", error.Message);
    }
}
