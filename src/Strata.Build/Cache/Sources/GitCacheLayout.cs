namespace Strata.Build.Cache.Sources;

/// <summary>
/// Where <c>ADD &lt;git repository&gt;</c> keeps its clones: <c>&lt;store&gt;/git-cache/</c>.
/// Entry KEY's directory is a bare repository holding the fetched commits, each pinned by
/// <c>refs/strata/COMMIT</c>. BuildKit's git source records have the type
/// <c>source.git.checkout</c>; its shared clone of a remote is described "shared git repo for REMOTE".
/// </summary>
public sealed record GitCacheLayout(string Root) : SourceCacheLayout(Root)
{
    public override string EntryKind => "ADD git clone";

    public override string RecordType => "source.git.checkout";

    protected override string DescriptionPrefix => "shared git repo for ";
}
