using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// What a <see cref="CopyStep"/> copies: COPY's flags, or those of an ADD of local files (which
/// extracts archives and takes no --from or --parents). Defaults: no heredocs, no --from (the
/// build context), no --chown/--chmod, no --parents, no --exclude, no --link, archives copied as files.
/// </summary>
internal sealed record CopyOptions
{
    /// <summary>"COPY" or "ADD", for history and errors.</summary>
    public required string Keyword { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Heredoc sources (<c>COPY &lt;&lt;EOF</c>); when given, they are the sources.</summary>
    public IReadOnlyList<HeredocSource> Contents { get; init; } = [];

    public required string Destination { get; init; }

    /// <summary>--from: a stage, image or named context; null for the build context.</summary>
    public string? From { get; init; }

    public string? Chown { get; init; }

    public string? Chmod { get; init; }

    public bool Parents { get; init; }

    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>--link as written; <see cref="Linked"/> says whether the copy is really linked.</summary>
    public bool Link { get; init; }

    /// <summary>ADD: local tar archives are extracted into the destination.</summary>
    public bool ExtractArchives { get; init; }

    /// <summary>--link with --chmod is a plain copy onto the parent, as in BuildKit (<see cref="StepExecutors.IsLinked"/>).</summary>
    public bool Linked => Link && Chmod is null;

    public static CopyOptions Of(CopyInstruction copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        return new CopyOptions
        {
            Keyword = "COPY",
            Sources = copy.Sources,
            Contents = copy.Contents,
            Destination = copy.Destination,
            From = copy.From,
            Chown = copy.Chown,
            Chmod = copy.Chmod,
            Parents = copy.Parents,
            Excludes = copy.Excludes,
            Link = copy.Link,
        };
    }

    /// <summary>An ADD whose sources are all local (the context or heredocs).</summary>
    public static CopyOptions Of(AddInstruction add)
    {
        ArgumentNullException.ThrowIfNull(add);
        return new CopyOptions
        {
            Keyword = "ADD",
            Sources = add.Sources,
            Contents = add.Contents,
            Destination = add.Destination,
            Chown = add.Chown,
            Chmod = add.Chmod,
            Excludes = add.Excludes,
            Link = add.Link,
            ExtractArchives = true,
        };
    }
}
