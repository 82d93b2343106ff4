using Strata.Core;

namespace Strata.Dockerfile;

/// <summary>
/// A syntax or semantic error in a Dockerfile. When the position is known the message reads
/// <c>Dockerfile:LINE:COL: reason in: offending line</c>, so one line on a terminal says where and
/// what is wrong; <see cref="Reason"/> is the bare reason for callers that format themselves.
/// </summary>
public sealed class DockerfileException : StrataException
{
    public DockerfileException(string reason) : base(reason)
    {
        Reason = reason;
    }

    public DockerfileException(string reason, Exception? innerException) : base(reason, innerException)
    {
        Reason = reason;
    }

    public DockerfileException() : this("invalid Dockerfile") { }

    public DockerfileException(string reason, string fileName, SourcePosition position, string? sourceLine)
        : base(Format(reason, fileName, position, sourceLine))
    {
        Reason = reason;
        FileName = fileName;
        Position = position;
        SourceLine = sourceLine;
    }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>The name used in messages (usually <c>Dockerfile</c>); null when not located.</summary>
    public string? FileName { get; }

    /// <summary>Where the error is; null when the error is not tied to a line (a shell word on its own).</summary>
    public SourcePosition? Position { get; }

    /// <summary>The text of the offending line, when known.</summary>
    public string? SourceLine { get; }

    public override ErrorCategory Category => ErrorCategory.InvalidArgument;

    /// <summary>The same error pinned to a place in a file, unless it already has one.</summary>
    public DockerfileException At(string fileName, SourcePosition position, string? sourceLine) =>
        Position is not null ? this : new DockerfileException(Reason, fileName, position, sourceLine);

    private static string Format(string reason, string fileName, SourcePosition position, string? sourceLine)
    {
        var prefix = $"{fileName}:{position.Line}:{position.Column}: {reason}";
        if (string.IsNullOrWhiteSpace(sourceLine)) return prefix;
        var line = sourceLine.Trim();
        if (line.Length > 120) line = string.Concat(line.AsSpan(0, 117), "...");
        return prefix + " in: " + line;
    }
}
