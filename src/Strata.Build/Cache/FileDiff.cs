namespace Strata.Build.Cache;

/// <summary>How two selections of source files differ, each list sorted by path.</summary>
internal sealed record FileDiff(List<SourceFile> Added, List<SourceFile> Removed, List<SourceFile> Changed, List<(SourceFile Was, SourceFile Now)> ModeChanged)
{
    public static FileDiff Compare(IReadOnlyList<SourceFile> previous, IReadOnlyList<SourceFile> current)
    {
        var before = previous.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var after = current.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var diff = new FileDiff([], [], [], []);
        foreach (var f in current.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(f.Path, out var was)) diff.Added.Add(f);
            else if (was.ContentDiffers(f)) diff.Changed.Add(f);
            else if (was.MetadataDiffers(f)) diff.ModeChanged.Add((was, f));
        }
        foreach (var f in previous.OrderBy(f => f.Path, StringComparer.Ordinal))
            if (!after.ContainsKey(f.Path)) diff.Removed.Add(f);
        return diff;
    }
}
