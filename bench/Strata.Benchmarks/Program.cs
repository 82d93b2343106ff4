using System.Diagnostics;
using BenchmarkDotNet.Running;
using Strata.Benchmarks;
using Strata.Dockerfile;

// "--emit": print the generated 5,000-line Dockerfile (to time the native CLI on it).
if (args is ["--emit"])
{
    Console.Out.Write(DockerfileGenerator.Generate(5000));
    return 0;
}

// "--smoke": one quick wall-clock measurement without BenchmarkDotNet (for CI logs).
if (args is ["--smoke"])
{
    var text = DockerfileGenerator.Generate(5000);
    DockerfileFrontend.ParseAndExpand(text);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    const int Runs = 20;
    for (int i = 0; i < Runs; i++) DockerfileFrontend.ParseAndExpand(text);
    var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Runs;
    Console.WriteLine($"parse+expand {text.Count(c => c == '\n')} lines: {sw.Elapsed.TotalMilliseconds / Runs:F2} ms wall, {cpuMs:F2} ms CPU (all threads, GC included), average over {Runs} runs");
    sw.Restart();
    for (int i = 0; i < Runs; i++) Strata.Dockerfile.Syntax.DockerfileParser.Parse(text);
    Console.WriteLine($"syntax tree only: {sw.Elapsed.TotalMilliseconds / Runs:F2} ms");
    sw.Restart();
    for (int i = 0; i < Runs; i++) DockerfileFrontend.Parse(text);
    Console.WriteLine($"typed stages: {sw.Elapsed.TotalMilliseconds / Runs:F2} ms");
    var definition = DockerfileFrontend.Parse(text);
    sw.Restart();
    Strata.Dockerfile.Expansion.ExpandedDockerfile? expanded = null;
    for (int i = 0; i < Runs; i++) expanded = Strata.Dockerfile.Expansion.BuildArgsScope.Expand(definition);
    Console.WriteLine($"expansion only: {sw.Elapsed.TotalMilliseconds / Runs:F2} ms ({expanded!.Warnings.Count} warnings, {definition.Stages.Count} stages)");
    sw.Restart();
    for (int i = 0; i < Runs; i++) Strata.Dockerfile.Graph.StageGraph.Build(definition.Stages);
    Console.WriteLine($"graph only: {sw.Elapsed.TotalMilliseconds / Runs:F2} ms");
    return 0;
}
if (args is ["--phases"])
{
    // Minimum of many runs per phase: robust to a busy machine, shows where the time goes.
    var text = DockerfileGenerator.Generate(5000);
    var parsed = Strata.Dockerfile.Syntax.DockerfileParser.Parse(text);
    var definition = Strata.Dockerfile.Instructions.InstructionParser.Parse(parsed);
    double Min(Action a)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 30; i++)
        {
            var t = Stopwatch.StartNew();
            a();
            best = Math.Min(best, t.Elapsed.TotalMilliseconds);
        }
        return best;
    }
    Console.WriteLine($"syntax {Min(() => Strata.Dockerfile.Syntax.DockerfileParser.Parse(text)):F2} ms");
    Console.WriteLine($"typing {Min(() => Strata.Dockerfile.Instructions.InstructionParser.Parse(parsed)):F2} ms");
    Console.WriteLine($"expansion {Min(() => Strata.Dockerfile.Expansion.BuildArgsScope.Expand(definition)):F2} ms");
    Console.WriteLine($"all {Min(() => DockerfileFrontend.ParseAndExpand(text)):F2} ms");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(DockerfileFrontendBenchmarks).Assembly).Run(args);
return 0;
