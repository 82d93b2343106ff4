using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// The one pass over an image's layers, bottom first: each entry is applied to the merged view
/// (<see cref="PathTree"/>) as it streams by, and every copy that stops shipping is charged to
/// the layer that holds it and grouped by cause: deleted, overwritten, copied up for metadata
/// only, or a big file copied up for a change. Caches and secrets are noted per entry.
/// </summary>
internal sealed class LayerStackWalk : IPathTreeObserver
{
    private readonly PathTree _tree;
    private readonly long _bigFileBytes;
    private readonly Dictionary<(string Rule, int From, int By, string Kind), PathGroup> _groups = [];
    private readonly Dictionary<string, string> _cacheFixes = new(StringComparer.Ordinal);
    private readonly Dictionary<PathNode, List<SecretRecord>> _secretsByNode = [];
    private readonly ILayerChangeObserver? _changes;

    public LayerStackWalk(int layerCount, long bigFileBytes, int keepChanges = 0, ILayerChangeObserver? changes = null)
    {
        _changes = changes;
        _tree = new PathTree(this);
        _bigFileBytes = bigFileBytes;
        Layers = [.. Enumerable.Range(0, layerCount).Select(_ => new LayerCounts())];
        Changes = keepChanges > 0 ? new LayerChangeRecorder(layerCount, keepChanges) : null;
    }

    /// <summary>The per-layer changes kept for a report, or null when none are asked for.</summary>
    public LayerChangeRecorder? Changes { get; }

    public IReadOnlyList<LayerCounts> Layers { get; }

    public List<SecretRecord> Secrets { get; } = [];

    public IReadOnlyDictionary<(string Rule, int From, int By, string Kind), PathGroup> Groups => _groups;

    public string CacheFix(string kind) => _cacheFixes[kind];

    /// <summary>
    /// Applies one entry of layer <paramref name="layer"/>; <paramref name="hash"/> is a regular
    /// file's content hash, <paramref name="secrets"/> what the scanner found in its content.
    /// </summary>
    public void Apply(int layer, LayerEntry entry, UInt128? hash, IReadOnlyList<SecretHit> secrets)
    {
        var counts = Layers[layer];
        if (entry.Type == LayerEntryType.Whiteout)
        {
            counts.Removed += _tree.Whiteout(entry.WhiteoutTarget!, layer);
            return;
        }
        if (entry.Type == LayerEntryType.OpaqueWhiteout)
        {
            counts.Removed += _tree.Opaque(entry.WhiteoutTarget!, layer);
            return;
        }
        if (entry.Name is "" or ".") return;
        long size = entry.Type == LayerEntryType.File ? entry.Size : 0;
        var copy = new FileCopy(layer, size, entry.Type, entry.Type == LayerEntryType.File ? hash : null);
        bool modified = _tree.Add(entry.Name, copy);
        _changes?.Written(layer, "/" + entry.Name, entry.Type, size, modified);
        counts.Size += size;
        if (entry.Type != LayerEntryType.Directory)
        {
            if (modified) counts.Modified++;
            else counts.Added++;
            Changes?.Add(layer, () => "/" + entry.Name, modified ? LayerChangeKind.Modified : LayerChangeKind.Added, size);
        }
        if (size == 0) return;
        var path = "/" + entry.Name;
        if (PackageCaches.Classify(path) is { } cache)
        {
            _cacheFixes[cache.Name] = cache.Fix;
            Group("package-cache", layer, -1, cache.Name).Add(() => path, size);
        }
        if (secrets.Count > 0)
        {
            var node = _tree.Find(entry.Name)!;
            if (!_secretsByNode.TryGetValue(node, out var list)) _secretsByNode[node] = list = [];
            foreach (var hit in secrets)
            {
                var record = new SecretRecord(hit, layer, path, size);
                list.Add(record);
                Secrets.Add(record);
            }
        }
    }

    public void Ended(PathNode node, in FileCopy old, int layer, CopyEnd how, in FileCopy? replacement)
    {
        _changes?.Ended(layer, node.FullPath, old.Layer, old.Type, old.Size, how == CopyEnd.Deleted);
        if (_secretsByNode.TryGetValue(node, out var secrets))
        {
            int oldLayer = old.Layer;
            foreach (var s in secrets.Where(s => s.Layer == oldLayer && s.ByLayer is null)) s.ByLayer = layer;
            if (how == CopyEnd.Deleted) _secretsByNode.Remove(node);
        }
        if (how == CopyEnd.Deleted && old.Type != LayerEntryType.Directory) Changes?.Add(layer, () => node.FullPath, LayerChangeKind.Removed, old.Size);
        if (old.Size == 0) return;
        Layers[old.Layer].Wasted += old.Size;
        string rule;
        if (how == CopyEnd.Deleted) rule = "deleted-files";
        else if (replacement is { } next && old.Layer < layer && old.SameContentAs(next)) rule = "metadata-copy-up";
        else if (replacement is { IsFile: true } && old.IsFile && old.Layer < layer && old.Size >= _bigFileBytes) rule = "big-file-copy-up";
        else rule = "overwritten-files";
        Group(rule, old.Layer, layer, "").Add(node, old.Size);
    }

    /// <summary>Bytes of the final root filesystem's files.</summary>
    public long ShippedBytes() => _tree.Shipping().Sum(n => n.Copy.Size);

    private PathGroup Group(string rule, int from, int by, string kind)
    {
        var key = (rule, from, by, kind);
        if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = new PathGroup();
        return group;
    }
}
