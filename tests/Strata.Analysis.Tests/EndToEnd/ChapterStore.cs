using System.Text.Json;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>One strata store with the busybox base <c>bb:1</c>, shared by the chapter's Dockerfiles.</summary>
public sealed class ChapterStore : IAsyncLifetime
{
    public string Work { get; } = Directory.CreateTempSubdirectory("strata-analyze-e2e-").FullName;

    public string Root => Path.Combine(Work, "store");

    public async Task InitializeAsync()
    {
        var rootfs = Path.Combine(Work, "rootfs");
        StrataRun.BusyboxRootfs(rootfs);
        (await StrataRun.StrataAsync(Root, null, "import", rootfs, "bb:1")).Ok();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Builds a context (files given by name) as <paramref name="tag"/> and analyzes it through <c>strata analyze --json</c>.</summary>
    internal async Task<ImageAnalysis> BuildAndAnalyzeAsync(string tag, string dockerfile, IReadOnlyDictionary<string, byte[]>? files = null, params string[] buildArgs)
    {
        await BuildAsync(tag, dockerfile, files, buildArgs);
        var json = (await StrataRun.StrataAsync(Root, null, "analyze", "--json", tag)).Ok().Stdout;
        return JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.ImageAnalysis)!;
    }

    /// <summary>Builds a context (files given by name) as <paramref name="tag"/>; returns the context directory, which holds the Dockerfile.</summary>
    internal async Task<string> BuildAsync(string tag, string dockerfile, IReadOnlyDictionary<string, byte[]>? files = null, params string[] buildArgs)
    {
        var context = Path.Combine(Work, tag.Replace(':', '-'));
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        foreach (var (name, bytes) in files ?? new Dictionary<string, byte[]>()) await File.WriteAllBytesAsync(Path.Combine(context, name), bytes);
        (await StrataRun.StrataAsync(Root, context, ["build", "-q", "-t", tag, .. buildArgs, "."])).Ok();
        return context;
    }
}
