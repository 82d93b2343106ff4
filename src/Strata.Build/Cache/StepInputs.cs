using System.Globalization;
using System.Text;

namespace Strata.Build.Cache;

/// <summary>
/// Everything a step's result depends on. Its canonical text hashes to the step's
/// <see cref="CacheKey"/>; the previous build's inputs are kept so a miss can say what changed.
/// </summary>
internal sealed record StepInputs
{
    /// <summary>The step's number within its stage (1-based), for messages.</summary>
    public int Step { get; init; }

    /// <summary>The parent's key (the previous step, or what the stage starts from).</summary>
    public required string Parent { get; init; }

    /// <summary>What the stage starts from (image reference with digests, "scratch" or a stage).</summary>
    public required string Base { get; init; }

    /// <summary>The base as the user wrote it, for messages.</summary>
    public required string BaseName { get; init; }

    /// <summary>The instruction as written, for messages.</summary>
    public required string Instruction { get; init; }

    /// <summary>The instruction after expansion with its flags (canonical JSON, source ranges left out).</summary>
    public required string Definition { get; init; }

    public required string Platform { get; init; }

    /// <summary>Build args and env the step can see (RUN: its environment; others: none).</summary>
    public Dictionary<string, string> Args { get; init; } = new(StringComparer.Ordinal);

    /// <summary>RUN's container options (<see cref="RunOptions.CacheText"/>); null or empty for none, so other keys stay as they were.</summary>
    public string? RunOptions { get; init; }

    /// <summary>For COPY/ADD: the selected source entries, sorted by path.</summary>
    public List<SourceFile> Files { get; init; } = [];

    /// <summary>The canonical text: one field per line, lists sorted, strings length-prefixed so no two inputs collide.</summary>
    public string Canonical() => Canonical(link: null);

    public CacheKey Key() => CacheKey.Of(Canonical());

    /// <summary>
    /// The parent-independent key of a COPY/ADD --link step (<see cref="LinkInputs"/>): the
    /// canonical text without parent and base, with what the linked layer still takes from where
    /// it is placed. Starts with its own marker line, so it never equals a chained key.
    /// </summary>
    public CacheKey LinkKey(LinkInputs link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return CacheKey.Of(Canonical(link));
    }

    private string Canonical(LinkInputs? link)
    {
        var sb = new StringBuilder();
        void Field(string name, string? value) =>
            sb.Append(name).Append(' ').Append(value is null ? "-" : value.Length.ToString(CultureInfo.InvariantCulture) + ":" + value).Append('\n');
        if (link is null)
        {
            Field("parent", Parent);
            Field("base", Base);
        }
        else
        {
            Field("link", "v1");
            // A relative destination lands under WORKDIR; an absolute one does not depend on it.
            Field("workdir", link.WorkingDir);
            Field("owner", link.Owner);
        }
        Field("definition", Definition);
        Field("platform", Platform);
        foreach (var (k, v) in Args.OrderBy(p => p.Key, StringComparer.Ordinal)) Field("arg", k + "=" + v);
        if (!string.IsNullOrEmpty(RunOptions)) Field("run-options", RunOptions);
        // Hot for big contexts (one line per file): appended piecewise, sorted only if needed.
        IEnumerable<SourceFile> files = IsSorted(Files) ? Files : Files.OrderBy(f => f.Path, StringComparer.Ordinal);
        foreach (var f in files)
        {
            sb.Append("file ").Append(f.Path.Length).Append(':').Append(f.Path).Append('\0').Append(f.Type).Append('\0')
                .Append(f.Mode).Append('\0').Append(f.Uid).Append('\0').Append(f.Gid).Append('\0').Append(f.Size).Append('\0')
                .Append(f.Sha256).Append('\0').Append(f.LinkTarget?.Length ?? -1).Append(':').Append(f.LinkTarget).Append('\n');
        }
        return sb.ToString();
    }

    private static bool IsSorted(List<SourceFile> files)
    {
        for (int i = 1; i < files.Count; i++)
            if (string.CompareOrdinal(files[i - 1].Path, files[i].Path) >= 0) return false;
        return true;
    }
}
