namespace Strata.Analysis.Image;

/// <summary>
/// Keeps, per layer, the biggest few changes the walk sees (a heap each, so a layer of a million
/// files costs the cap, not a million strings; a path string is only made when it enters the heap).
/// Ties keep the earlier change (tar order).
/// </summary>
internal sealed class LayerChangeRecorder
{
    private readonly int _cap;
    private readonly PriorityQueue<LayerChange, (long Size, long Order)>[] _kept;
    private long _order;

    public LayerChangeRecorder(int layerCount, int cap)
    {
        _cap = cap;
        _kept = [.. Enumerable.Range(0, layerCount).Select(_ => new PriorityQueue<LayerChange, (long, long)>(Comparer<(long Size, long Order)>.Create(Compare)))];
    }

    public void Add(int layer, Func<string> path, LayerChangeKind kind, long size)
    {
        var heap = _kept[layer];
        // Later entries lose ties: a smaller order ranks higher.
        var priority = (size, -_order++);
        if (heap.Count < _cap) heap.Enqueue(new LayerChange(path(), kind, size), priority);
        else if (heap.TryPeek(out _, out var smallest) && Compare(priority, smallest) > 0) heap.EnqueueDequeue(new LayerChange(path(), kind, size), priority);
    }

    public IReadOnlyList<LayerChanges> Result(IReadOnlyList<LayerCounts> counts) =>
        [.. _kept.Select((heap, i) => new LayerChanges(i, counts[i].Added + counts[i].Modified + counts[i].Removed,
            [.. heap.UnorderedItems.Select(x => x.Element).OrderBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Kind)]))];

    private static int Compare((long Size, long Order) a, (long Size, long Order) b)
    {
        int c = a.Size.CompareTo(b.Size);
        return c != 0 ? c : a.Order.CompareTo(b.Order);
    }
}
