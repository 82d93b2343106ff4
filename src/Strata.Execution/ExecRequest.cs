namespace Strata.Execution;

/// <summary>
/// A second process in a running container (<c>runtime exec</c>). Null fields keep the
/// container's own (its config.json process): environment is added to, not replaced.
/// </summary>
public sealed record ExecRequest(string ContainerId, IReadOnlyList<string> Args)
{
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? Cwd { get; init; }
    public ProcessUser? User { get; init; }
    /// <summary>Give the process strata's own standard input; otherwise it reads an empty one.</summary>
    public bool Interactive { get; init; }
    /// <summary>A pseudo-terminal: with <see cref="Interactive"/> attached to strata's own terminal (which must be one), otherwise strata copies its output to stdout and gives it no input.</summary>
    public bool Tty { get; init; }
}
