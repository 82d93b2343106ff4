using Strata.Build.Context;

namespace Strata.Build.FileOps;

/// <summary>One COPY or ADD, resolved enough to execute: where sources come from and how files land.</summary>
public sealed record CopyRequest
{
    /// <summary>The directory sources are read from: the build context or another stage's root filesystem.</summary>
    public required string SourceRoot { get; init; }

    /// <summary>The context's .dockerignore; null for stage or image sources.</summary>
    public PatternMatcher? Ignore { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Destination as written (relative ones resolve against <see cref="WorkingDir"/>).</summary>
    public required string Destination { get; init; }

    public string WorkingDir { get; init; } = "/";

    /// <summary>Owner of everything written, from <c>--chown</c>; null: root:root, or the source's owners with <see cref="KeepOwners"/>.</summary>
    public (uint Uid, uint Gid)? Owner { get; init; }

    /// <summary>
    /// Without <c>--chown</c>, copied entries keep their source's uid/gid. True for COPY --from
    /// (a stage or an image): BuildKit's copy keeps owners, and only the build context arrives
    /// with owners reset to root (docker's client resets them when it sends the context).
    /// </summary>
    public bool KeepOwners { get; init; }

    /// <summary><c>--chmod</c>; null keeps the source's permission bits.</summary>
    public string? Chmod { get; init; }

    /// <summary>ADD: local tar archives are extracted instead of copied.</summary>
    public bool ExtractArchives { get; init; }

    /// <summary><c>--parents</c>: keep each source's parent directories under the destination.</summary>
    public bool Parents { get; init; }

    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>
    /// Told the size of each regular file as it is copied (increments, not a running total; from
    /// several threads when a tree's files are copied in parallel); null: nobody watches.
    /// </summary>
    public IProgress<long>? Copied { get; init; }

    /// <summary>Instruction name for messages ("COPY", "ADD").</summary>
    public string Keyword { get; init; } = "COPY";
}
