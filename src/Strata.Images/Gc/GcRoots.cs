using Strata.Core;

namespace Strata.Images.Gc;

/// <summary>What one owner holds: blobs by digest and snapshots by key or name. Nothing in a root set is collected.</summary>
public sealed record GcRoots(IReadOnlySet<Digest> Blobs, IReadOnlySet<string> Snapshots)
{
    public static GcRoots Empty { get; } = new(new HashSet<Digest>(), new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Both sets together.</summary>
    public GcRoots Union(GcRoots other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var blobs = new HashSet<Digest>(Blobs);
        blobs.UnionWith(other.Blobs);
        var snapshots = new HashSet<string>(Snapshots, StringComparer.Ordinal);
        snapshots.UnionWith(other.Snapshots);
        return new GcRoots(blobs, snapshots);
    }
}
