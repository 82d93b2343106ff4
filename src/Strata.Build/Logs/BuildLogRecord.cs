namespace Strata.Build.Logs;

/// <summary>The <c>build.json</c> of one recorded build: its id, times, outcome and steps.</summary>
public sealed record BuildLogRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary><c>running</c>, <c>done</c> or <c>error</c>.</summary>
    public required string State { get; init; }
    public required IReadOnlyList<BuildLogStep> Steps { get; init; }

    /// <summary>The front end's warnings, each <c>Rule: message (FILE:LINE)</c>; absent when there were none.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
