using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// Where <see cref="CacheExporter"/> writes an exported cache: an OCI layout directory
/// (<see cref="LayoutCacheTarget"/>) or a registry repository (made by the composition root
/// through <see cref="ICacheRegistry"/>, since this room does not reference Strata.Registry).
/// Blobs go first, the manifest last: until <see cref="PublishAsync"/> the previous export stays
/// what the name shows.
/// </summary>
public interface ICacheTarget : IAsyncDisposable
{
    /// <summary>What errors name first (the directory, the reference).</summary>
    string Name { get; }

    /// <summary>How many <see cref="WriteLayerAsync"/> calls may run at once (1: one after another).</summary>
    int ConcurrentLayers { get; }

    /// <summary>Writes one layer blob the cache lists; a target that already holds it may skip opening it.</summary>
    Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken);

    /// <summary>Writes the cache's config and its OCI image manifest (whose layers were written) and makes it visible under the target's name.</summary>
    Task PublishAsync(Descriptor manifest, byte[] manifestBytes, byte[] configBytes, CancellationToken cancellationToken);
}
