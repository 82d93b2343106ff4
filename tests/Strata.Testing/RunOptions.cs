namespace Strata.Testing;

/// <summary>
/// How <see cref="ProcessRunner"/> starts a process. Defaults: the current directory, the
/// inherited environment, an empty stdin, stdout captured, five minutes before the process tree
/// is killed (generous on a loaded machine: it only decides how long a hung test takes to fail).
/// </summary>
public sealed record RunOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set over the inherited ones (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>A file whose bytes become the process's stdin.</summary>
    public string? StdinFile { get; init; }

    /// <summary>Text written to the process's stdin (ignored when <see cref="StdinFile"/> is set).</summary>
    public string? StdinText { get; init; }

    /// <summary>A file that receives stdout (the result's Stdout is then empty): for archives.</summary>
    public string? StdoutFile { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>These options with <paramref name="variables"/> set over this environment.</summary>
    public RunOptions WithEnvironment(IReadOnlyDictionary<string, string?>? variables)
    {
        if (variables is null || variables.Count == 0) return this;
        var merged = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in variables) merged[name] = value;
        return this with { Environment = merged };
    }
}
