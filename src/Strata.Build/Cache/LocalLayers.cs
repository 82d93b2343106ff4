using Strata.Core;
using Strata.Images;

namespace Strata.Build.Cache;

/// <summary>
/// A cache record names its layer by the blob it was exported as (often a gzip variant), but what
/// a hit needs is the layer's content, which its diff ID names. When the store already holds that
/// content under another blob (the same layer stored uncompressed, or with other compression), an
/// import records the key against the stored blob instead of copying or downloading a second one.
/// </summary>
internal static class LocalLayers
{
    /// <summary>The digest of a stored layer blob with <paramref name="diffId"/> (row and blob present), or null.</summary>
    public static async Task<Digest?> FindAsync(ImageStore store, DiffId diffId, CancellationToken cancellationToken)
    {
        if (await store.Metadata.FindLayerByDiffIdAsync(diffId, cancellationToken).ConfigureAwait(false) is not { } layer) return null;
        return await store.Content.InfoAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is null ? null : layer.Digest;
    }
}
