using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;

namespace Strata.Build.Cache;

/// <summary>
/// Registry caches (<c>--cache-to/--cache-from type=registry,ref=REF</c>), supplied by the
/// composition root: DESIGN.md lets Build use a registry only through image sources and sinks, so
/// the CLI opens the registry's source and sink (auth and TLS as <c>strata pull</c>) and this room
/// decides what to read and write.
/// </summary>
public interface ICacheRegistry
{
    /// <summary>The repository and tag <paramref name="spec"/> pushes to.</summary>
    Task<ICacheTarget> OpenTargetAsync(ImageStore store, CacheExportSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// The registry source of <paramref name="reference"/>, whose <see cref="IImageSource.ListAsync"/>
    /// has one root (the cache manifest); null, after a warning line, when the registry has no
    /// such manifest (a first build has no cache yet, as with BuildKit).
    /// </summary>
    Task<IImageSource?> OpenSourceAsync(ImageReference reference, CancellationToken cancellationToken);

    /// <summary>A blob of <paramref name="reference"/> is now in the store: remembered so a later push to another repository of that registry mounts it.</summary>
    Task FetchedAsync(ImageStore store, ImageReference reference, Digest blob, CancellationToken cancellationToken);
}
