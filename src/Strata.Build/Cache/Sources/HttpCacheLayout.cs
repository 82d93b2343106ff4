namespace Strata.Build.Cache.Sources;

/// <summary>
/// Where <c>ADD &lt;url&gt;</c> keeps its downloads: <c>&lt;store&gt;/http-cache/</c>. Entry
/// KEY's directory holds the content (a file named by its digest's hex) and what is remembered of
/// the response. BuildKit keeps an http source as a regular record described "http url URL".
/// </summary>
public sealed record HttpCacheLayout(string Root) : SourceCacheLayout(Root)
{
    public override string EntryKind => "ADD download";

    public override string RecordType => "regular";

    protected override string DescriptionPrefix => "http url ";
}
