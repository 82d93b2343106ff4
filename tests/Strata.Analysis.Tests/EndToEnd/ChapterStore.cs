using System.Text.Json;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>One strata store with the busybox base <c>bb:1</c>, shared by the chapter's Dockerfiles.</summary>
public sealed class ChapterStore : IAsyncLifetime
{
    private readonly TempDir _tempDir = new("strata-analyze-e2e-");

    public string Work => _tempDir.Path;

    public string Root => Path.Combine(Work, "store");

    public async Task InitializeAsync()
    {
        var rootfs = Path.Combine(Work, "rootfs");
        BusyboxRootfs.Minimal.Create(rootfs);
        (await new StrataCli(Root).RunAsync("import", rootfs, "bb:1")).EnsureSuccess();
    }

    public Task DisposeAsync()
    {
        _tempDir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Builds a context (files given by name) as <paramref name="tag"/> and analyzes it through <c>strata analyze --json</c>.</summary>
    internal async Task<ImageAnalysis> BuildAndAnalyzeAsync(string tag, string dockerfile, IReadOnlyDictionary<string, byte[]>? files = null, params string[] buildArgs)
    {
        var context = Path.Combine(Work, tag.Replace(':', '-'));
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        foreach (var (name, bytes) in files ?? new Dictionary<string, byte[]>()) await File.WriteAllBytesAsync(Path.Combine(context, name), bytes);
        (await new StrataCli(Root).RunAsync(["build", "-q", "-t", tag, .. buildArgs, "."], new RunOptions { WorkingDirectory = context })).EnsureSuccess();
        var json = (await new StrataCli(Root).RunAsync("analyze", "--json", tag)).EnsureSuccess().Stdout;
        return JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.ImageAnalysis)!;
    }
}
