using Strata.Build.Cache;
using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Registry.Pull;
using Strata.Registry.Push;
using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// The registry glue of <c>build --cache-to/--cache-from type=registry</c>. It lives in the
/// composition root because Strata.Build does not reference Strata.Registry (DESIGN.md: Build uses
/// a registry only through image sources and sinks): it opens one <see cref="RegistryClient"/>
/// (auth and TLS as <c>strata pull</c>, only when a registry cache is used), the cache's
/// <see cref="RegistrySource"/> and <see cref="RegistrySink"/>, and the store's record of where
/// blobs came from, for cross-repository mounts both ways.
/// </summary>
internal sealed class RegistryBuildCache(TextWriter warnings) : ICacheRegistry, IDisposable
{
    private readonly Lazy<RegistryClient> _client = new(RegistryOpener.Open);

    public async Task<ICacheTarget> OpenTargetAsync(ImageStore store, CacheExportSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        var reference = spec.Registry ?? throw new ArgumentException("not a registry cache export", nameof(spec));
        var sources = new BlobSources(store.Layout.Root);
        var known = await sources.ForRegistryAsync(reference.Domain, cancellationToken).ConfigureAwait(false);
        var options = new PushOptions { KnownSource = digest => known.GetValueOrDefault(digest) };
        return new RegistryCacheTarget(new RegistrySink(_client.Value, reference, options, null), reference, sources, options.MaxConcurrentUploads);
    }

    public async Task<IImageSource?> OpenSourceAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var source = new RegistrySource(_client.Value, reference);
        try
        {
            await source.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException ex) when (ex.Category == ErrorCategory.NotFound)
        {
            // As BuildKit: a cache that is not there yet (the first build of a branch) is no error.
            // The registry's words (MANIFEST_UNKNOWN, NAME_UNKNOWN...) without the reference the line already names.
            var why = ex.Message.StartsWith(reference + ": ", StringComparison.Ordinal) ? ex.Message[(reference.ToString().Length + 2)..] : ex.Message;
            await warnings.WriteLineAsync($"WARNING: --cache-from {reference}: no cache there ({why}): building without it").ConfigureAwait(false);
            return null;
        }
        return source;
    }

    public Task FetchedAsync(ImageStore store, ImageReference reference, Digest blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new BlobSources(store.Layout.Root).RecordAsync(reference, [blob], cancellationToken);
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
