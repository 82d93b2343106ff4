using System.Text.Json;
using Strata.Archive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Layers;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-from type=local,src=DIR</c> (an image name goes to <see cref="InlineCache"/>): reads a layout <see cref="CacheExporter"/> wrote
/// (never writing to it), copies the layer blobs the store lacks (each checked against its
/// digest and diff ID), records the keys (a local record whose layer is still here wins), and
/// restores cache mount directories that do not exist yet. Snapshots are not imported: a hit
/// unpacks its layer over its parent the first time it is used.
/// </summary>
internal static class CacheImporter
{
    public static async Task ImportAsync(ImageStore store, CacheImportSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Image is { } image)
        {
            await InlineCache.ImportAsync(store, image, cancellationToken).ConfigureAwait(false);
            return;
        }
        var src = spec.Source!;
        if (!Directory.Exists(src)) throw new NotFoundException($"--cache-from: cache directory {src} does not exist");
        if (!File.Exists(Path.Combine(src, "index.json"))) throw new InvalidArgumentException($"--cache-from: {src} is not a cache export: it has no index.json");
        var source = new OciLayoutSource(src, $"--cache-from: {src}", CacheDocumentLimit);
        await using (source.ConfigureAwait(false))
            await ImportAsync(store, source, src, cancellationToken).ConfigureAwait(false);
    }

    // Cache configs list every record of a big build: larger than an image config may be.
    private const long CacheDocumentLimit = 64 << 20;

    private static async Task ImportAsync(ImageStore store, OciLayoutSource source, string src, CancellationToken cancellationToken)
    {
        var index = await source.ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var manifestDescriptor = index.Manifests.FirstOrDefault(m => m.ArtifactType == CacheManifest.ArtifactType
                || (m.Annotations?.TryGetValue("org.opencontainers.image.ref.name", out var name) == true && name == CacheManifest.RefName))
            ?? throw new InvalidArgumentException($"--cache-from: {src} holds no Strata build cache (no manifest with artifact type {CacheManifest.ArtifactType})");
        var manifest = ImageDocuments.ParseManifest(manifestDescriptor, await source.ReadDocumentAsync(manifestDescriptor, cancellationToken).ConfigureAwait(false), $"--cache-from: {src}");
        if (manifest.Config.MediaType != CacheManifest.MediaType)
            throw new InvalidArgumentException($"--cache-from: {src}: manifest {manifestDescriptor.Digest} has config type {manifest.Config.MediaType}, not {CacheManifest.MediaType}");
        CacheManifest cache;
        try
        {
            cache = JsonSerializer.Deserialize(await source.ReadDocumentAsync(manifest.Config, cancellationToken).ConfigureAwait(false), CacheManifestJsonContext.Default.CacheManifest)
                ?? throw new InvalidArgumentException($"--cache-from: {src}: cache config {manifest.Config.Digest} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"--cache-from: {src}: cache config {manifest.Config.Digest} is not valid JSON: {ex.Message}");
        }
        if (cache.Version != 1) throw new InvalidArgumentException($"--cache-from: {src}: cache config version {cache.Version} is not supported (want 1)");

        var records = new BuildCacheStore(store.Metadata);
        foreach (var entry in cache.Records)
        {
            var key = new CacheKey(Digest.Parse(entry.Key));
            if (await records.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } local && await UsableAsync(store, local, cancellationToken).ConfigureAwait(false)) continue;
            Digest? layerDigest = null;
            if (entry.Layer is not null)
            {
                if (entry.DiffId is null || entry.LayerMediaType is null || entry.LayerSize is null)
                    throw new InvalidArgumentException($"--cache-from: {src}: record {entry.Key} names layer {entry.Layer} without its diff ID, media type or size");
                var digest = Digest.Parse(entry.Layer);
                var descriptor = new Descriptor(entry.LayerMediaType, digest, entry.LayerSize.Value);
                if (!File.Exists(BlobPath(src, digest))) throw new NotFoundException($"--cache-from: {src}: layer {digest} of record {entry.Key} is missing from blobs/");
                var stream = await source.OpenBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await LayerIngest.FromBlobAsync(store, stream, descriptor.MediaType, DiffId.Parse(entry.DiffId), digest, $"--cache-from {src}: layer {digest}", cancellationToken).ConfigureAwait(false);
                }
                layerDigest = digest;
            }
            await records.PutAsync(new CacheRecord(key, layerDigest, entry.Snapshot, entry.CreatedBy, entry.HistoryCreated), store.Now, cancellationToken).ConfigureAwait(false);
        }
        foreach (var mount in cache.Mounts) await RestoreMountAsync(store, src, mount, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<bool> UsableAsync(ImageStore store, CacheRecord record, CancellationToken cancellationToken) =>
        record.Layer is not { } digest
        || (await store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false) is not null
            && await store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null);

    /// <summary>Extracts a mount layer into a scratch folder, then renames it into place: an existing (maybe in-use) directory is never touched.</summary>
    private static async Task RestoreMountAsync(ImageStore store, string src, CacheManifestMount mount, CancellationToken cancellationToken)
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
            var path = BlobPath(src, digest);
            if (!File.Exists(path)) throw new NotFoundException($"--cache-from: {src}: layer {digest} of cache mount {mount.Name} is missing from blobs/");
            var stream = File.OpenRead(path);
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
