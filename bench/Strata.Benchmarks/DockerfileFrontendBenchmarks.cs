using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Syntax;

namespace Strata.Benchmarks;

/// <summary>Issue 3's budget: parsing a 5,000-line Dockerfile and expanding its words well under 50 ms.</summary>
[MemoryDiagnoser]
public class DockerfileFrontendBenchmarks
{
    private string _text = "";
    private readonly BuildOptions _options = new()
    {
        BuildArgs = new Dictionary<string, string> { ["VERSION"] = "2.0.1" },
        TargetPlatform = Platform.Parse("linux/amd64"),
        BuildPlatform = Platform.Parse("linux/amd64"),
    };

    [GlobalSetup]
    public void Setup() => _text = DockerfileGenerator.Generate(5000);

    [Benchmark]
    public object SyntaxTreeOnly() => DockerfileParser.Parse(_text);

    [Benchmark(Baseline = true)]
    public object ParseAndExpand5000Lines() => DockerfileFrontend.ParseAndExpand(_text, _options);
}
