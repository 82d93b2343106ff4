using System.Text;
using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// <c>--progress=rawjson</c>: every stderr line is one JSON object of BuildKit's SolveStatus shape
/// (vertexes, logs with base64 data) plus Strata's cacheMisses and explain entries.
/// </summary>
public sealed class RawJsonProgressTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public RawJsonProgressTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Every_line_is_json_with_cached_steps_misses_with_reasons_logs_and_explain()
    {
        var strata = await _base.NewStoreAsync("rawjson");
        var context = Path.Combine(_base.Root, "rawjson-context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nRUN echo from-run\nCOPY a.txt /a.txt\n");
        (await strata.RunAsync("build", "-q", "-t", "raw:1", context)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "two\n");

        var result = (await strata.RunAsync("build", "--progress", "rawjson", "--explain", "-t", "raw:1", context)).EnsureSuccess();

        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var docs = lines.Select(l => JsonDocument.Parse(l)).ToList();
        try
        {
            var vertexes = docs.Where(d => d.RootElement.TryGetProperty("vertexes", out _))
                .SelectMany(d => d.RootElement.GetProperty("vertexes").EnumerateArray()).ToList();
            var done = vertexes.Where(v => v.TryGetProperty("completed", out _)).ToDictionary(v => v.GetProperty("name").GetString()!, v => v);
            var run = Assert.Single(done, p => p.Key.EndsWith("RUN echo from-run", StringComparison.Ordinal)).Value;
            Assert.True(run.GetProperty("cached").GetBoolean());
            Assert.Matches("^sha256:[0-9a-f]{64}$", run.GetProperty("digest").GetString());
            Assert.True(run.TryGetProperty("started", out _));
            var copy = Assert.Single(done, p => p.Key.EndsWith("COPY a.txt /a.txt", StringComparison.Ordinal)).Value;
            Assert.False(copy.GetProperty("cached").GetBoolean());
            var copyDigest = copy.GetProperty("digest").GetString();

            var miss = Assert.Single(docs.Where(d => d.RootElement.TryGetProperty("cacheMisses", out _))
                .SelectMany(d => d.RootElement.GetProperty("cacheMisses").EnumerateArray()));
            Assert.Equal(copyDigest, miss.GetProperty("vertex").GetString());
            Assert.Contains("a.txt", miss.GetProperty("reason").GetString(), StringComparison.Ordinal);
            var explain = docs.Where(d => d.RootElement.TryGetProperty("explain", out _))
                .SelectMany(d => d.RootElement.GetProperty("explain").EnumerateArray()).ToList();
            Assert.NotEmpty(explain);
            Assert.All(explain, e => Assert.Equal(copyDigest, e.GetProperty("vertex").GetString()));
        }
        finally
        {
            foreach (var d in docs) d.Dispose();
        }
    }

    [Fact]
    public async Task Run_output_arrives_as_base64_log_entries_of_its_vertex()
    {
        var strata = await _base.NewStoreAsync("rawjson-logs");
        var context = Path.Combine(_base.Root, "rawjson-logs-context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nRUN echo hello-log\n");

        var result = (await strata.RunAsync("build", "--progress", "rawjson", "-t", "raw-logs:1", context)).EnsureSuccess();

        var docs = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        try
        {
            var runDigest = docs.Where(d => d.RootElement.TryGetProperty("vertexes", out _))
                .SelectMany(d => d.RootElement.GetProperty("vertexes").EnumerateArray())
                .First(v => v.GetProperty("name").GetString()!.EndsWith("RUN echo hello-log", StringComparison.Ordinal)).GetProperty("digest").GetString();
            var logs = docs.Where(d => d.RootElement.TryGetProperty("logs", out _)).SelectMany(d => d.RootElement.GetProperty("logs").EnumerateArray()).ToList();
            var log = Assert.Single(logs);
            Assert.Equal(runDigest, log.GetProperty("vertex").GetString());
            Assert.Equal(1, log.GetProperty("stream").GetInt32());
            Assert.Equal("hello-log\n", Encoding.UTF8.GetString(log.GetProperty("data").GetBytesFromBase64()));
        }
        finally
        {
            foreach (var d in docs) d.Dispose();
        }
    }
}
