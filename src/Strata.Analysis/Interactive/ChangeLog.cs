using Strata.Analysis.Image;
using Strata.Archive;

namespace Strata.Analysis.Interactive;

/// <summary>
/// Every path any layer touched, with each layer's change, built from the analysis walk (pass
/// it as <see cref="ImageAnalysisOptions.Changes"/>): one tree for the whole stack, so the file
/// tree as of any layer, or of one layer's changes, is a query over it rather than a re-read.
/// </summary>
public sealed class ChangeLog : ILayerChangeObserver
{
    internal ChangeNode Root { get; } = new("", null);

    public void Written(int layer, string path, LayerEntryType type, long size, bool modified)
    {
        var node = Node(path);
        var kind = modified ? ChangeKind.Modified : ChangeKind.Added;
        if (node.Events.Count > 0 && node.Events[^1] is { } last && last.Layer == layer)
        {
            // The same layer wrote the path again, or re-created what it removed (an opaque
            // directory, then its new entries): one change per layer, what the layer leaves.
            kind = last.Kind switch
            {
                ChangeKind.Removed => ChangeKind.Modified,
                ChangeKind.None => kind,
                _ => last.Kind,
            };
            node.Events[^1] = new PathEvent(layer, kind, type, size, false);
            return;
        }
        node.Events.Add(new PathEvent(layer, kind, type, size, false));
    }

    public void Ended(int layer, string path, int copyLayer, LayerEntryType type, long size, bool deleted)
    {
        var node = Node(path);
        for (int i = node.Events.Count - 1; i >= 0; i--)
        {
            if (node.Events[i].Layer != copyLayer || node.Events[i].Kind == ChangeKind.Removed) continue;
            node.Events[i] = node.Events[i] with { Wasted = true };
            break;
        }
        if (!deleted) return;
        if (node.Events.Count > 0 && node.Events[^1].Layer == layer)
        {
            // Written and deleted by the same layer: the layer leaves it as removed if a lower
            // layer had it, else as nothing.
            var own = node.Events[^1];
            if (own.Kind == ChangeKind.Added) node.Events.RemoveAt(node.Events.Count - 1);
            else node.Events[^1] = new PathEvent(layer, ChangeKind.Removed, type, size, false);
            return;
        }
        node.Events.Add(new PathEvent(layer, ChangeKind.Removed, type, size, false));
    }

    private ChangeNode Node(string path)
    {
        var node = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) node = node.Child(part);
        return node;
    }
}
