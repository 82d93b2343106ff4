using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Build.Progress;

namespace Strata.Cli;

/// <summary>
/// <c>--progress=rawjson</c>: BuildKit's SolveStatus stream, one JSON object per line on stderr.
/// Each event is a status with <c>vertexes</c> (digest, name, started, completed, cached, error)
/// or <c>logs</c> (vertex, stream 1, data as base64 as Go encodes bytes, timestamp). Strata adds
/// <c>cacheMisses</c> (why a step runs), <c>rebased</c> (a --link step cached by its own key on a
/// new parent, with why its chained key missed) and <c>explain</c> (its input diff with <c>--explain</c>).
/// A vertex digest identifies the step within this build (hash of its number and name).
/// </summary>
internal sealed class RawJsonBuildProgress : IBuildProgress
{
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, RawVertex> _vertexes = new();
    private readonly Lock _lock = new();

    public RawJsonBuildProgress(TextWriter output, TimeProvider time)
    {
        _out = output;
        _time = time;
    }

    public void StepStarted(int id, string name)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}\n{name}")));
        var vertex = new RawVertex(digest, name) { Started = _time.GetUtcNow() };
        _vertexes[id] = vertex;
        Write(new RawStatus { Vertexes = [vertex] });
    }

    public void StepOutput(int id, string line) =>
        Write(new RawStatus { Logs = [new RawLog(DigestOf(id), 1, Encoding.UTF8.GetBytes(line + "\n"), _time.GetUtcNow())] });

    public void StepCompleted(int id, TimeSpan duration, bool cached) =>
        Finish(id, v => v with { Completed = _time.GetUtcNow(), Cached = cached });

    public void StepFailed(int id, string error) =>
        Finish(id, v => v with { Completed = _time.GetUtcNow(), Error = error });

    public void StepCacheMiss(int id, string reason) =>
        Write(new RawStatus { CacheMisses = [new RawCacheMiss(DigestOf(id), reason)] });

    public void StepCacheRebased(int id, string reason) =>
        Write(new RawStatus { Rebased = [new RawCacheMiss(DigestOf(id), reason)] });

    public void StepCacheExplained(int id, string line) =>
        Write(new RawStatus { Explain = [new RawExplainLine(DigestOf(id), line)] });

    /// <summary>
    /// BuildKit's VertexWarning: level 1, the short text and each detail as base64 bytes, the
    /// rule's link, the Dockerfile as source info and the line as a range. BuildKit ties it to its
    /// "load build definition" vertex; Strata has no such step, so <c>vertex</c> is absent.
    /// </summary>
    public void Warning(BuildWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var raw = new RawWarning
        {
            Level = 1,
            Short = Encoding.UTF8.GetBytes(warning.ShortText),
            Url = warning.Url,
            SourceInfo = new RawSourceInfo(warning.File, Encoding.UTF8.GetBytes(warning.Source), "Dockerfile"),
            Range = warning.Line > 0 ? [new RawRange(new RawPosition(warning.Line), new RawPosition(warning.Line))] : null,
        };
        Write(new RawStatus { Warnings = [raw] });
    }

    private string DigestOf(int id) => _vertexes.TryGetValue(id, out var v) ? v.Digest : "";

    private void Finish(int id, Func<RawVertex, RawVertex> change)
    {
        if (!_vertexes.TryGetValue(id, out var vertex)) return;
        vertex = change(vertex);
        _vertexes[id] = vertex;
        Write(new RawStatus { Vertexes = [vertex] });
    }

    private void Write(RawStatus status)
    {
        var line = JsonSerializer.Serialize(status, RawJsonContext.Default.RawStatus);
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}

/// <summary>One line of the rawjson stream (BuildKit's SolveStatus plus Strata's cache fields).</summary>
internal sealed record RawStatus
{
    public IReadOnlyList<RawVertex>? Vertexes { get; init; }

    public IReadOnlyList<RawLog>? Logs { get; init; }

    public IReadOnlyList<RawWarning>? Warnings { get; init; }

    public IReadOnlyList<RawCacheMiss>? CacheMisses { get; init; }

    /// <summary>Same shape as a miss: the vertex and why its chained key missed; the vertex completes cached.</summary>
    public IReadOnlyList<RawCacheMiss>? Rebased { get; init; }

    public IReadOnlyList<RawExplainLine>? Explain { get; init; }
}

internal sealed record RawVertex(string Digest, string Name)
{
    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Completed { get; init; }

    public bool Cached { get; init; }

    public string? Error { get; init; }
}

internal sealed record RawLog(string Vertex, int Stream, byte[] Data, DateTimeOffset Timestamp);

internal sealed record RawWarning
{
    public string? Vertex { get; init; }

    public int Level { get; init; }

    public byte[]? Short { get; init; }

    public IReadOnlyList<byte[]>? Detail { get; init; }

    public string? Url { get; init; }

    public RawSourceInfo? SourceInfo { get; init; }

    public IReadOnlyList<RawRange>? Range { get; init; }
}

/// <summary>BuildKit's pb.SourceInfo: the file's name, its bytes (base64) and its language.</summary>
internal sealed record RawSourceInfo(string Filename, byte[] Data, string Language);

internal sealed record RawRange(RawPosition Start, RawPosition End);

internal sealed record RawPosition(int Line);

internal sealed record RawCacheMiss(string Vertex, string Reason);

internal sealed record RawExplainLine(string Vertex, string Line);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RawStatus))]
internal sealed partial class RawJsonContext : JsonSerializerContext;
