using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// Hears every path the walk changes, as it changes it, for views that show each layer's file
/// tree (<c>analyze -i</c>). The walk stays the one pass over the layers; an observer only keeps
/// what it needs. Paths are absolute (<c>/etc/passwd</c>). Calls come in layer order, bottom first.
/// </summary>
public interface ILayerChangeObserver
{
    /// <summary>Layer <paramref name="layer"/> wrote <paramref name="path"/>: <paramref name="modified"/> when a lower layer had it.</summary>
    void Written(int layer, string path, LayerEntryType type, long size, bool modified);

    /// <summary>
    /// The copy of <paramref name="path"/> that layer <paramref name="copyLayer"/> holds stops
    /// shipping at layer <paramref name="layer"/>: <paramref name="deleted"/> (whiteout, opaque
    /// directory, a file put where its directory was) or overwritten (a <see cref="Written"/> follows).
    /// </summary>
    void Ended(int layer, string path, int copyLayer, LayerEntryType type, long size, bool deleted);
}
