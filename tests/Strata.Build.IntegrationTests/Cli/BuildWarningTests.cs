using System.Text;
using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// The front end's lint warnings reach <c>strata build</c> as buildx shows them: a summary after
/// the build (also before a failure's error), each with FILE:LINE, on plain and tty progress;
/// none with -q; BuildKit's <c>warnings</c> entries in rawjson.
/// </summary>
public sealed class BuildWarningTests : IClassFixture<BaseStore>
{
    private const string Dockerfile = "FROM base:1\nENV DB_PASSWORD=x\nENV GREETING=hello$NOT_SET\nCMD echo hi\n";

    private static readonly string[] Summary =
    [
        " 3 warnings found (use --debug to expand):",
        " - SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"DB_PASSWORD\"): the value stays in the image history; use RUN --mount=type=secret (app.Dockerfile:2)",
        " - UndefinedVar: Usage of undefined variable '$NOT_SET' (app.Dockerfile:3)",
        " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (app.Dockerfile:4)",
    ];

    private readonly BaseStore _base;

    public BuildWarningTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Plain_build_prints_the_warnings_with_file_and_line_after_the_result_and_before_a_failure()
    {
        var strata = await _base.NewStoreAsync("warnings-plain");
        var context = Context("warnings-plain", Dockerfile);

        var ok = (await strata.RunAsync("build", "--progress", "plain", "-f", Path.Combine(context, "app.Dockerfile"), "-t", "warn:1", context)).EnsureSuccess();

        var lines = ok.Stderr.Split('\n');
        int naming = Array.IndexOf(lines, "naming to docker.io/library/warn:1 done");
        Assert.True(naming > 0, ok.Stderr);
        Assert.Equal(["", .. Summary, ""], lines[(naming + 1)..]);

        // A failed build shows them too, once its progress ends and before its one error line.
        var failing = Context("warnings-fail", Dockerfile + "RUN exit 3\n");
        var failed = await strata.RunAsync("build", "--progress", "plain", "-f", Path.Combine(failing, "app.Dockerfile"), failing);
        Assert.Equal(1, failed.ExitCode);
        var failedLines = failed.Stderr.Split('\n');
        int summary = Array.IndexOf(failedLines, Summary[0]);
        Assert.True(summary > 0, failed.Stderr);
        Assert.Equal(Summary, failedLines[summary..(summary + Summary.Length)]);
        Assert.StartsWith("Error: app.Dockerfile:5: RUN exit 3", failedLines[summary + Summary.Length], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tty_build_prints_the_summary_quiet_prints_none_and_rawjson_carries_BuildKit_warnings()
    {
        var strata = await _base.NewStoreAsync("warnings-modes");
        var context = Context("warnings-modes", Dockerfile);
        var file = Path.Combine(context, "app.Dockerfile");

        var tty = (await strata.RunAsync("build", "--progress", "tty", "-f", file, "-t", "warn:tty", context)).EnsureSuccess();
        Assert.EndsWith("\n" + string.Join('\n', Summary) + "\n", tty.Stderr, StringComparison.Ordinal);

        var quiet = (await strata.RunAsync("build", "-q", "-f", file, context)).EnsureSuccess();
        Assert.Equal("", quiet.Stderr);

        var raw = (await strata.RunAsync("build", "--progress", "rawjson", "-f", file, context)).EnsureSuccess();
        var warnings = raw.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("warnings", out _))
            .SelectMany(e => e.GetProperty("warnings").EnumerateArray()).ToList();
        Assert.Equal(3, warnings.Count);
        var undefined = warnings[1];
        Assert.Equal(1, undefined.GetProperty("level").GetInt32());
        Assert.Equal("UndefinedVar: Usage of undefined variable '$NOT_SET' (line 3)", Encoding.UTF8.GetString(undefined.GetProperty("short").GetBytesFromBase64()));
        Assert.Equal("https://docs.docker.com/go/dockerfile/rule/undefined-var/", undefined.GetProperty("url").GetString());
        var source = undefined.GetProperty("sourceInfo");
        Assert.Equal("app.Dockerfile", source.GetProperty("filename").GetString());
        Assert.Equal(Dockerfile, Encoding.UTF8.GetString(source.GetProperty("data").GetBytesFromBase64()));
        var range = Assert.Single(undefined.GetProperty("range").EnumerateArray());
        Assert.Equal(3, range.GetProperty("start").GetProperty("line").GetInt32());
        Assert.Equal(3, range.GetProperty("end").GetProperty("line").GetInt32());
        Assert.Equal("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/", warnings[2].GetProperty("url").GetString());
        Assert.DoesNotContain("warnings found", raw.Stderr, StringComparison.Ordinal);
    }

    private string Context(string name, string dockerfile)
    {
        var context = Path.Combine(_base.Root, name + "-context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "app.Dockerfile"), dockerfile);
        return context;
    }
}
