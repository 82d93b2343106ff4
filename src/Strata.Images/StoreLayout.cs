namespace Strata.Images;

/// <summary>Where things live inside a store root (DESIGN.md, "The store").</summary>
public sealed record StoreLayout(string Root)
{
    public string MetadataDb => Path.Combine(Root, "metadata.db");

    /// <summary>The OCI layout index: regenerated from the tags table on every change of names.</summary>
    public string IndexJson => Path.Combine(Root, "index.json");

    /// <summary>The snapshotter's root: unpacked layers (one per chain ID, shared) and writable layers.</summary>
    public string Snapshotter => Path.Combine(Root, "snapshotter");

    /// <summary>Scratch space on the store's file system, so finished work can be renamed into place.</summary>
    public string Temp => Path.Combine(Root, "tmp");

    /// <summary>RUN --mount=type=cache directories (<c>NAME/</c>, <c>NAME.id</c>, <c>NAME.lock</c>), outside every layer.</summary>
    public string CacheMounts => Path.Combine(Root, "cache", "mounts");

    /// <summary>ADD &lt;url&gt; downloads, one entry per URL (build cache, as BuildKit's http sources are).</summary>
    public HttpCacheLayout HttpCache => new(Path.Combine(Root, "http-cache"));

    /// <summary>ADD &lt;git repository&gt; clones, one bare repository per remote URL (build cache).</summary>
    public GitCacheLayout GitCache => new(Path.Combine(Root, "git-cache"));

    /// <summary>Every build source's cache (downloads, clones): what <c>system df</c>, <c>builder prune</c> and <c>system check</c> walk.</summary>
    public IReadOnlyList<SourceCacheLayout> SourceCaches => [HttpCache, GitCache];
}
