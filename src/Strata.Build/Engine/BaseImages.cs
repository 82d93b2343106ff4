using System.Collections.Concurrent;
using System.Diagnostics;
using Strata.Build.Progress;
using Strata.Core;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// The images a build starts from or copies out of (FROM, COPY --from, RUN --mount from= an
/// image), each resolved once per build and platform. An image already in the store is used
/// without any network access; one the store lacks is pulled from its registry for the
/// build's platform, shown as BuildKit shows a base resolve (<c>[internal] load metadata for
/// REF</c>). With <c>--pull</c> every name is resolved in its registry again and pulled when its
/// digest moved; when the registry cannot answer, an image the store has is used as it is, with a
/// warning (a local-only name, an offline machine).
/// </summary>
internal sealed class BaseImages
{
    private readonly ConcurrentDictionary<(string Name, Platform? Platform), Lazy<Task<StoredImage>>> _resolved = new();
    // The store's answer per name and platform, read once per build: the expansion's look-up of
    // every stage's base (for its ENV) and each stage's own resolve ask the same question, and
    // each answer costs the tag, image and layer rows, the lease and a verified manifest and
    // config read (w4's three stages on one base asked it four times).
    private readonly ConcurrentDictionary<(string Name, Platform? Platform), Lazy<Task<StoredImage?>>> _local = new();
    private readonly ImageStore _store;
    private readonly IBaseImagePuller? _puller;
    private readonly BuildRequest _request;
    private readonly IBuildProgress _progress;
    private readonly StepIds _ids;
    private readonly bool _labelPlatforms;

    public BaseImages(ImageStore store, IBaseImagePuller? puller, BuildRequest request, IBuildProgress progress, StepIds ids)
    {
        // The platform builds of a multi-platform build share one instance (a native stage's
        // base resolves once); their resolves say which platform they are for, as BuildKit's do.
        _labelPlatforms = request.Platforms.Count > 1;
        _store = store;
        _puller = puller;
        _request = request;
        _progress = progress;
        _ids = ids;
    }

    /// <summary>True when an image the store lacks can be pulled (the build is not offline).</summary>
    public bool CanPull => _puller is not null;

    /// <summary>
    /// The image <paramref name="name"/> names for <paramref name="platform"/> (null: none was
    /// asked for, so an index gives the build platform's child and a plain image is taken as it
    /// is). The caller's cancellation applies to the first caller's resolve only.
    /// </summary>
    /// <exception cref="StrataException">Not in the store and not pullable; the message names the reference.</exception>
    public Task<StoredImage> GetAsync(string name, Platform? platform, CancellationToken cancellationToken) =>
        _resolved.GetOrAdd((name, platform), key => new Lazy<Task<StoredImage>>(() => ResolveAsync(key.Name, key.Platform, cancellationToken))).Value;

    private async Task<StoredImage> ResolveAsync(string name, Platform? platform, CancellationToken cancellationToken)
    {
        var local = await LocalAsync(name, platform, cancellationToken).ConfigureAwait(false);
        if (local is not null && (!_request.Cache.Pull || _puller is null)) return local;
        if (_puller is null || !ImageReference.TryParse(name, out var reference))
            return local ?? throw new NotFoundException($"pull access denied for {name}: the image is not in the local store (import or load it first)");
        // A digest names one image for good: nothing newer to look for.
        if (local is not null && reference.Digest is not null) return local;

        var title = _labelPlatforms ? $"[{platform ?? _request.Platform} internal] load metadata for {reference}" : $"[internal] load metadata for {reference}";
        var sw = Stopwatch.StartNew();
        // A pull the build cannot do without shows at once; a --pull check of a stored image
        // shows once it has answered, so an offline check leaves a warning, not a failed step.
        int id = _ids.Next();
        if (local is null) _progress.StepStarted(id, title);
        Digest pulled;
        try
        {
            pulled = await _puller.PullAsync(reference, platform ?? _request.Platform, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException ex) when (local is not null)
        {
            _progress.Warning(new BuildWarning("PullFailed", $"--pull: {reference} could not be checked in its registry, the stored image is used ({ex.Message})", _request.DockerfileName, 0));
            return local;
        }
        catch (StrataException ex)
        {
            _progress.StepFailed(id, ex.Message);
            throw new NotFoundException($"failed to resolve source metadata for {reference}: {ex.Message}", ex);
        }
        if (local is not null) _progress.StepStarted(id, title);
        _progress.StepCompleted(id, sw.Elapsed, cached: false);
        // Read through the store so the build's lease holds what the pull brought.
        return await _store.TryGetAsync(pulled.ToString(), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"{reference}: pulled image {pulled} is no longer in the store");
    }

    /// <summary>The store's image for the name, or null (also for an index without that platform: the stage names it).</summary>
    public async Task<StoredImage?> TryLocalAsync(string name, Platform? platform, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalAsync(name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The store's image for the name. An index gives its child of the platform; a plain image of
    /// another platform is returned as it is, for the stage to name both platforms.
    /// </summary>
    private Task<StoredImage?> LocalAsync(string name, Platform? platform, CancellationToken cancellationToken) =>
        _local.GetOrAdd((name, platform), key => new Lazy<Task<StoredImage?>>(() => ReadLocalAsync(key.Name, key.Platform, cancellationToken))).Value;

    private async Task<StoredImage?> ReadLocalAsync(string name, Platform? platform, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.TryGetAsync(name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException) when (platform is not null)
        {
            if (await _store.ResolveImageIdAsync(name, cancellationToken).ConfigureAwait(false) is null) throw;
            return await _store.TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}
