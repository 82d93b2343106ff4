using Strata.Build.Cache.Sources;
using Strata.Images;

namespace Strata.Build.Cache;

/// <summary>
/// The build cache's directories in a store root, beside what Images lays out there
/// (<see cref="StoreLayout"/>): this room writes, lists and removes them, nobody else. They
/// are written as <see cref="StoreLayout"/>'s own properties so that every path of a store is
/// still spelled <c>store.Layout.X</c>.
/// </summary>
public static class BuildCacheLayout
{
    extension(StoreLayout layout)
    {
        /// <summary>RUN --mount=type=cache directories (<c>NAME/</c>, <c>NAME.id</c>, <c>NAME.lock</c>), outside every layer.</summary>
        public string CacheMounts => Path.Combine(layout.Root, "cache", "mounts");

        /// <summary>ADD &lt;url&gt; downloads, one entry per URL (build cache, as BuildKit's http sources are).</summary>
        public HttpCacheLayout HttpCache => new(Path.Combine(layout.Root, "http-cache"));

        /// <summary>ADD &lt;git repository&gt; clones, one bare repository per remote URL (build cache).</summary>
        public GitCacheLayout GitCache => new(Path.Combine(layout.Root, "git-cache"));

        /// <summary>Every build source's cache (downloads, clones): what <c>system df</c>, <c>builder prune</c> and <c>system check</c> walk.</summary>
        public IReadOnlyList<SourceCacheLayout> SourceCaches => [layout.HttpCache, layout.GitCache];
    }
}
