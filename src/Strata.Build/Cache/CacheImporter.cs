using System.Text.Json;
using Strata.Archive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Layers;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-from</c>. <c>type=local,src=DIR</c>: reads a layout <see cref="CacheExporter"/> wrote
/// (never writing to it), copies the layer blobs the store lacks (each checked against its
/// digest and diff ID) and records the keys (a local record whose layer is still here wins).
/// <c>type=registry,ref=REF</c>: reads only the manifest and the cache config now; a record's
/// layer is downloaded when a step looks its key up (<see cref="RegistryCacheRecords"/>), so a
/// build fetches the layers of the steps that hit and nothing else. Both restore cache mount
/// directories that do not exist yet. An image name goes to <see cref="InlineCache"/>.
/// Snapshots are not imported: a hit unpacks its layer over its parent the first time it is used.
/// </summary>
internal static class CacheImporter
{
    /// <param name="warn">Told, in one line, about a cache that is passed over (written by an older strata).</param>
    /// <returns>The base images the imported cache's builds started from (none for an image's inline cache).</returns>
    public static async Task<IReadOnlyList<CacheManifestBase>> ImportAsync(ImageStore store, CacheImportSpec spec, RegistryCacheRecords remote, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(warn);
        if (spec.Image is { } image)
        {
            await InlineCache.ImportAsync(store, image, cancellationToken).ConfigureAwait(false);
            return [];
        }
        if (spec.Registry is { } reference)
            return await ImportRegistryAsync(store, reference, remote, warn, cancellationToken).ConfigureAwait(false);
        var src = spec.Source!;
        if (!Directory.Exists(src)) throw new NotFoundException($"--cache-from: cache directory {src} does not exist");
        if (!File.Exists(Path.Combine(src, "index.json"))) throw new InvalidArgumentException($"--cache-from: {src} is not a cache export: it has no index.json");
        var source = new OciLayoutSource(src, $"--cache-from: {src}", CacheDocumentLimit);
        await using (source.ConfigureAwait(false))
            return await ImportAsync(store, source, src, warn, cancellationToken).ConfigureAwait(false);
    }

    // Cache configs list every record of a big build: larger than an image config may be.
    private const long CacheDocumentLimit = 64 << 20;

    private static async Task<IReadOnlyList<CacheManifestBase>> ImportAsync(ImageStore store, OciLayoutSource source, string src, Action<string> warn, CancellationToken cancellationToken)
    {
        var index = await source.ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var manifestDescriptor = index.Manifests.FirstOrDefault(m => m.ArtifactType == CacheManifest.ArtifactType
                || (m.Annotations?.TryGetValue("org.opencontainers.image.ref.name", out var name) == true && name == CacheManifest.RefName))
            ?? throw new InvalidArgumentException($"--cache-from: {src} holds no Strata build cache (no manifest with artifact type {CacheManifest.ArtifactType})");
        if (await ReadCacheAsync(source, manifestDescriptor, src, warn, cancellationToken).ConfigureAwait(false) is not { } cache) return [];

        var records = new BuildCacheStore(store.Metadata);
        foreach (var entry in cache.Records)
        {
            var key = new CacheKey(Digest.Parse(entry.Key));
            if (await records.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } local && await UsableAsync(store, local, cancellationToken).ConfigureAwait(false)) continue;
            Digest? layerDigest = null;
            var named = LayerOf(entry, src);
            if (named is { } held && await LocalLayers.FindAsync(store, held.DiffId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                layerDigest = stored;
            }
            else if (named is { } layer)
            {
                if (!File.Exists(BlobPath(src, layer.Descriptor.Digest))) throw new NotFoundException($"--cache-from: {src}: layer {layer.Descriptor.Digest} of record {entry.Key} is missing from blobs/");
                var stream = await source.OpenBlobAsync(layer.Descriptor, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await LayerIngest.FromBlobAsync(store, stream, layer.Descriptor.MediaType, layer.DiffId, layer.Descriptor.Digest, $"--cache-from {src}: layer {layer.Descriptor.Digest}", cancellationToken).ConfigureAwait(false);
                }
                layerDigest = layer.Descriptor.Digest;
            }
            await records.PutAsync(new CacheRecord(key, layerDigest, entry.Snapshot, entry.CreatedBy, entry.HistoryCreated), store.Now, cancellationToken).ConfigureAwait(false);
        }
        foreach (var mount in cache.Mounts)
        {
            await RestoreMountAsync(store, src, mount, (blob, ct) => File.Exists(BlobPath(src, blob.Digest))
                ? source.OpenBlobAsync(blob, ct)
                : throw new NotFoundException($"--cache-from: {src}: layer {blob.Digest} of cache mount {mount.Name} is missing from blobs/"), cancellationToken).ConfigureAwait(false);
        }
        return cache.Bases ?? [];
    }

    /// <summary>
    /// The manifest <paramref name="reference"/> names and its cache config, read now; the records
    /// are handed to <paramref name="remote"/>, which downloads a layer when its key is looked up.
    /// A reference the registry does not have is a warning (from the registry glue) and no cache.
    /// </summary>
    private static async Task<IReadOnlyList<CacheManifestBase>> ImportRegistryAsync(ImageStore store, ImageReference reference, RegistryCacheRecords remote, Action<string> warn, CancellationToken cancellationToken)
    {
        var where = reference.ToString();
        var source = await remote.Registry.OpenSourceAsync(reference, cancellationToken).ConfigureAwait(false);
        if (source is null) return [];
        var root = (await source.ListAsync(cancellationToken).ConfigureAwait(false))[0].Root;
        if (!MediaTypes.IsManifest(root.MediaType))
            throw new InvalidArgumentException($"--cache-from: {where} is a {root.MediaType}, not a Strata build cache (an OCI image manifest with config type {CacheManifest.MediaType})");
        if (await ReadCacheAsync(source, root, where, warn, cancellationToken).ConfigureAwait(false) is not { } cache) return [];
        foreach (var entry in cache.Records) LayerOf(entry, where);
        remote.Add(source, reference, cache);
        foreach (var mount in cache.Mounts) await RestoreMountAsync(store, where, mount, source.OpenBlobAsync, cancellationToken).ConfigureAwait(false);
        return cache.Bases ?? [];
    }

    /// <summary>
    /// The cache config a cache manifest names, checked: its media type and version. Null, after a
    /// warning, for a version 1 cache: its keys named base images by manifest digest, so none of
    /// its image-based records can hit now, and importing it would only copy layers nothing uses.
    /// It is passed over rather than refused so that a build that reads and rewrites one cache
    /// (<c>--cache-from</c> and <c>--cache-to</c> of one place) runs once and replaces it.
    /// </summary>
    private static async Task<CacheManifest?> ReadCacheAsync(IImageSource source, Descriptor manifestDescriptor, string where, Action<string> warn, CancellationToken cancellationToken)
    {
        var manifest = ImageDocuments.ParseManifest(manifestDescriptor, await source.ReadDocumentAsync(manifestDescriptor, cancellationToken).ConfigureAwait(false), $"--cache-from: {where}");
        if (manifest.Config.MediaType != CacheManifest.MediaType)
            throw new InvalidArgumentException($"--cache-from: {where}: manifest {manifestDescriptor.Digest} has config type {manifest.Config.MediaType}, not {CacheManifest.MediaType}");
        CacheManifest cache;
        try
        {
            cache = JsonSerializer.Deserialize(await source.ReadDocumentAsync(manifest.Config, cancellationToken).ConfigureAwait(false), CacheManifestJsonContext.Default.CacheManifest)
                ?? throw new InvalidArgumentException($"--cache-from: {where}: cache config {manifest.Config.Digest} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"--cache-from: {where}: cache config {manifest.Config.Digest} is not valid JSON: {ex.Message}");
        }
        if (cache.Version == CacheManifest.ManifestKeyedVersion)
        {
            warn($"--cache-from {where}: not used: written by an older strata (cache version {CacheManifest.ManifestKeyedVersion}, keys that named base images by manifest digest); export it again with --cache-to");
            return null;
        }
        if (cache.Version != CacheManifest.CurrentVersion)
            throw new InvalidArgumentException($"--cache-from: {where}: cache config version {cache.Version} is not supported (want {CacheManifest.CurrentVersion})");
        return cache;
    }

    /// <summary>A record's layer as a descriptor and diff ID; null for a step that made no layer.</summary>
    internal static (Descriptor Descriptor, DiffId DiffId)? LayerOf(CacheManifestRecord entry, string where)
    {
        if (entry.Layer is null) return null;
        if (entry.DiffId is null || entry.LayerMediaType is null || entry.LayerSize is null)
            throw new InvalidArgumentException($"--cache-from: {where}: record {entry.Key} names layer {entry.Layer} without its diff ID, media type or size");
        return (new Descriptor(entry.LayerMediaType, Digest.Parse(entry.Layer), entry.LayerSize.Value), DiffId.Parse(entry.DiffId));
    }

    internal static async Task<bool> UsableAsync(ImageStore store, CacheRecord record, CancellationToken cancellationToken) =>
        record.Layer is not { } digest
        || (await store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false) is not null
            && await store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null);

    /// <summary>Extracts a mount layer into a scratch folder, then renames it into place: an existing (maybe in-use) directory is never touched.</summary>
    private static async Task RestoreMountAsync(ImageStore store, string src, CacheManifestMount mount, Func<Descriptor, CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        if (!CacheMounts.IsValidName(mount.Name)) throw new InvalidArgumentException($"--cache-from: {src}: cache mount name \"{mount.Name}\" is not a plain directory name");
        var root = CacheMounts.Root(store);
        var target = Path.Combine(root, mount.Name);
        if (Directory.Exists(target)) return;
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(store.Layout.Temp);
        var scratch = Path.Combine(store.Layout.Temp, "cache-mount-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var digest = Digest.Parse(mount.Layer);
            var stream = await open(new Descriptor(mount.MediaType, digest, mount.Size), cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await LayerApplier.ApplyAsync(stream, scratch, new LayerApplyOptions
                {
                    LayerName = $"cache mount {mount.Name} ({digest})",
                    ExpectedDigest = digest,
                    ExpectedDiffId = DiffId.Parse(mount.DiffId),
                }, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                Directory.Move(scratch, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another build made the directory meanwhile: its content wins.
            }
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static string BlobPath(string src, Digest digest) => Path.Combine(src, "blobs", digest.Algorithm, digest.Encoded);
}
