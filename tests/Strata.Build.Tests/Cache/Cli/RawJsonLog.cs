using System.Text.Json;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>What <c>--progress=rawjson</c> printed, one JSON document per line, read back for assertions.</summary>
internal sealed class RawJsonLog : IDisposable
{
    private readonly List<JsonDocument> _docs;

    public RawJsonLog(string stderr) =>
        _docs = [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l))];

    /// <summary>Every element of the <paramref name="property"/> arrays (vertexes, rebased, cacheMisses...) across all lines.</summary>
    public IEnumerable<JsonElement> All(string property) =>
        _docs.Where(d => d.RootElement.TryGetProperty(property, out _)).SelectMany(d => d.RootElement.GetProperty(property).EnumerateArray());

    /// <summary>The completed vertexes by name (the last report of each).</summary>
    public Dictionary<string, JsonElement> Completed() =>
        All("vertexes").Where(v => v.TryGetProperty("completed", out _)).ToDictionary(v => v.GetProperty("name").GetString()!, v => v);

    public void Dispose()
    {
        foreach (var d in _docs) d.Dispose();
    }
}
