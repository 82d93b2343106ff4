using Strata.Analysis.Image;
using Strata.Archive;

namespace Strata.Analysis.Lint;

/// <summary>
/// Hears the analysis walk of an image for <see cref="ImageMeasurement"/>: the bytes each layer
/// deleted of each lower layer (a counter per pair of layers), and every write and end of the few
/// image paths lint findings name (secrets). Nothing else is kept.
/// </summary>
public sealed class MeasuredChanges : ILayerChangeObserver
{
    private readonly string[] _paths;
    private readonly Dictionary<(int By, int From), long> _deleted = [];
    private readonly List<(int Layer, string Path, long Size)> _written = [];
    private readonly List<(int Layer, string Path, int CopyLayer)> _removed = [];

    /// <param name="paths">Absolute image paths to follow (a directory covers what is below it).</param>
    public MeasuredChanges(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = [.. paths.Where(p => p.Length > 1).Distinct(StringComparer.Ordinal)];
    }

    public void Written(int layer, string path, LayerEntryType type, long size, bool modified)
    {
        if (type != LayerEntryType.Directory && Follows(path)) _written.Add((layer, path, size));
    }

    public void Ended(int layer, string path, int copyLayer, LayerEntryType type, long size, bool deleted)
    {
        if (!deleted || type == LayerEntryType.Directory) return;
        _deleted[(layer, copyLayer)] = _deleted.GetValueOrDefault((layer, copyLayer)) + size;
        if (Follows(path)) _removed.Add((layer, path, copyLayer));
    }

    /// <summary>Bytes layer <paramref name="by"/> deleted, per layer that held them.</summary>
    internal IEnumerable<(int From, long Bytes)> DeletedBy(int by) =>
        _deleted.Where(d => d.Key.By == by).Select(d => (d.Key.From, d.Value)).OrderBy(d => d.From);

    /// <summary>Bytes layer <paramref name="layer"/> wrote at <paramref name="path"/> or below it.</summary>
    internal long WrittenBytes(int layer, string path) => _written.Where(w => w.Layer == layer && Under(w.Path, path)).Sum(w => w.Size);

    /// <summary>The first layer that deleted what layer <paramref name="layer"/> wrote at or below <paramref name="path"/>, or null.</summary>
    internal int? RemovedBy(int layer, string path) =>
        _removed.Where(r => r.CopyLayer == layer && Under(r.Path, path)).Select(r => (int?)r.Layer).Min();

    private bool Follows(string path) => _paths.Any(p => Under(path, p));

    private static bool Under(string path, string top) =>
        path.StartsWith(top, StringComparison.Ordinal) && (path.Length == top.Length || path[top.Length] == '/');
}
