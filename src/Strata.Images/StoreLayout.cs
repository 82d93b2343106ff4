namespace Strata.Images;

/// <summary>
/// Where the store's own things live inside a store root (DESIGN.md, "The store"). Rooms above
/// add their directories as extension properties of their own (Build's <c>BuildCacheLayout</c>).
/// </summary>
public sealed record StoreLayout(string Root)
{
    public string MetadataDb => Path.Combine(Root, "metadata.db");

    /// <summary>The OCI layout index: regenerated from the tags table on every change of names.</summary>
    public string IndexJson => Path.Combine(Root, "index.json");

    /// <summary>The snapshotter's root: unpacked layers (one per chain ID, shared) and writable layers.</summary>
    public string Snapshotter => Path.Combine(Root, "snapshotter");

    /// <summary>Scratch space on the store's file system, so finished work can be renamed into place.</summary>
    public string Temp => Path.Combine(Root, "tmp");
}
