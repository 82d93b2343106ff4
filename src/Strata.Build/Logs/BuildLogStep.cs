namespace Strata.Build.Logs;

/// <summary>One step of a recorded build; its output is in <c>step-&lt;Id&gt;.log</c> beside <c>build.json</c>.</summary>
public sealed record BuildLogStep
{
    public required int Id { get; init; }
    public required string Name { get; init; }

    /// <summary><c>running</c>, <c>done</c>, <c>cached</c> or <c>error</c>.</summary>
    public required string State { get; init; }
    public double? DurationSeconds { get; init; }
    public bool Cached { get; init; }
    public string? MissReason { get; init; }
    public string? Error { get; init; }
    public long OutputLines { get; init; }
}
