using System.Text;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Reports;

namespace Strata.Dockerfile.Tests.Corpus;

/// <summary>
/// Golden tests: each folder under Corpus/ holds a Dockerfile (plus optional <c>build-args</c>
/// and <c>target</c>) and <c>expected.json</c>, the report Strata must produce. Set
/// STRATA_UPDATE_GOLDEN=1 to rewrite the expected files after a reviewed change.
/// </summary>
public sealed class CorpusTests
{
    internal static string CorpusDir => Path.Combine(RepoPaths.Root, "tests", "Strata.Dockerfile.Tests", "Corpus");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CorpusDir).OrderBy(d => d, StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    internal static DockerfileReport Run(string name)
    {
        var dir = Path.Combine(CorpusDir, name);
        var text = File.ReadAllText(Path.Combine(dir, "Dockerfile"), new UTF8Encoding(false));
        var args = new Dictionary<string, string>();
        var argsFile = Path.Combine(dir, "build-args");
        if (File.Exists(argsFile))
        {
            foreach (var line in File.ReadAllLines(argsFile))
            {
                if (line.Length == 0) continue;
                var eq = line.IndexOf('=');
                args[line[..eq]] = line[(eq + 1)..];
            }
        }
        var targetFile = Path.Combine(dir, "target");
        var options = new BuildOptions
        {
            BuildArgs = args,
            Target = File.Exists(targetFile) ? File.ReadAllText(targetFile).Trim() : null,
            TargetPlatform = Platform.Parse("linux/amd64"),
            BuildPlatform = Platform.Parse("linux/amd64"),
        };
        return DockerfileFrontend.Report(text, options);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corpus_Dockerfile_yields_the_expected_typed_report(string name)
    {
        var json = DockerfileReportWriter.ToJson(Run(name)).ReplaceLineEndings("\n") + "\n";
        var expectedPath = Path.Combine(CorpusDir, name, "expected.json");
        if (Environment.GetEnvironmentVariable("STRATA_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, json, new UTF8Encoding(false));
        }
        Assert.True(File.Exists(expectedPath), $"missing {expectedPath}");
        Assert.Equal(File.ReadAllText(expectedPath, new UTF8Encoding(false)), json);
    }

    public static TheoryData<string> BenchWorkloads()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(RepoPaths.Shared, "bench", "workloads");
        foreach (var file in Directory.GetFiles(root, "Dockerfile*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(BenchWorkloads))]
    public void Shared_bench_workload_Dockerfile_parses_and_expands_cleanly(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Shared, "bench", "workloads", relativePath));
        var expanded = DockerfileFrontend.ParseAndExpand(text, new BuildOptions { TargetPlatform = Platform.Parse("linux/amd64"), BuildPlatform = Platform.Parse("linux/amd64") });
        Assert.NotEmpty(expanded.Stages);
        Assert.Empty(expanded.Warnings);
    }
}
