namespace Strata.Integration.Tests.Fixtures;

/// <summary>How <see cref="ProcessRunner"/> starts a process. Defaults: the current directory,
/// the inherited environment, no stdin, two minutes before the process tree is killed.</summary>
public sealed record RunOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>A file whose bytes become the process's stdin.</summary>
    public string? StdinFile { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
