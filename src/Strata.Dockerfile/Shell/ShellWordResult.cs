namespace Strata.Dockerfile.Shell;

/// <summary>
/// The outcome of expanding one word: the expanded text, the same split into words (for
/// instructions that take several), and which variable names were found or missing (for the
/// undefined-variable warning and for cache keys that depend on the build args used).
/// </summary>
public sealed record ShellWordResult(
    string Result,
    IReadOnlyList<string> Words,
    IReadOnlySet<string> Matched,
    IReadOnlySet<string> Unmatched);
