namespace Strata.Analysis.Image;

/// <summary>
/// Paths that share a cause (the same rule, the same creating and ending layer): total bytes,
/// count, and the biggest few kept in a small heap, so a deleted tree of a million files costs
/// a counter, not a million strings.
/// </summary>
internal sealed class PathGroup
{
    public const int MaxPaths = 20;
    private readonly PriorityQueue<FindingPath, long> _biggest = new();

    public long Bytes { get; private set; }

    public int Count { get; private set; }

    public void Add(PathNode node, long bytes) => Add(() => node.FullPath, bytes);

    public void Add(Func<string> path, long bytes)
    {
        Bytes += bytes;
        Count++;
        if (_biggest.Count < MaxPaths) _biggest.Enqueue(new FindingPath(path(), bytes), bytes);
        else if (_biggest.TryPeek(out _, out var smallest) && bytes > smallest) _biggest.EnqueueDequeue(new FindingPath(path(), bytes), bytes);
    }

    /// <summary>Biggest first, ties by path.</summary>
    public IReadOnlyList<FindingPath> Paths() =>
        [.. _biggest.UnorderedItems.Select(i => i.Element).OrderByDescending(p => p.Bytes).ThenBy(p => p.Path, StringComparer.Ordinal)];
}
