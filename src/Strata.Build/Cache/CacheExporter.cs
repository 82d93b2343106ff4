using System.Text.Json;
using Strata.Archive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-to</c>: the records' layer blobs and a <see cref="CacheManifest"/> config, named by
/// one OCI image manifest (artifact type <see cref="CacheManifest.ArtifactType"/>), written to an
/// <see cref="ICacheTarget"/>: an OCI layout directory (<c>type=local</c>) or a registry
/// repository (<c>type=registry</c>; one manifest, never an index, which ECR and GCR refuse).
/// Blobs are written first (layers several at once where the target allows, <see cref="LayerUploads"/>)
/// and the manifest last: an interrupted export leaves the previous one in place, never one
/// naming a missing blob.
/// </summary>
internal static class CacheExporter
{
    /// <param name="bases">The base images the exported steps started from (listed in the cache config, so an import on other bases can say so).</param>
    public static async Task ExportAsync(ImageStore store, IReadOnlyList<CacheKey> keys, IReadOnlyList<CacheManifestBase> bases, CacheExportSpec spec, ICacheRegistry? registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(spec);
        var source = new StoreSource(store, [], "--cache-to");
        var target = spec.Registry is null
            ? new LayoutCacheTarget(spec.Destination)
            : await (registry ?? throw new InvalidArgumentException($"--cache-to {spec.Destination}: this build cannot reach registries")).OpenTargetAsync(store, spec, cancellationToken).ConfigureAwait(false);
        // Records name the exported (compressed) layer; an import stores it as it is.
        using var variants = new Strata.Images.Layers.LayerVariants(store, spec.Compression);
        await using (source.ConfigureAwait(false))
        await using (target.ConfigureAwait(false))
        {
            var records = new BuildCacheStore(store.Metadata);
            var manifest = new CacheManifest { Bases = bases.Count == 0 ? null : [.. bases] };
            var layers = new List<Descriptor>();
            var seen = new HashSet<Digest>();
            using var uploads = new LayerUploads(target, cancellationToken);
            try
            {
                foreach (var key in keys.Distinct())
                {
                    var record = await records.FindAsync(key, cancellationToken).ConfigureAwait(false);
                    if (record is null) continue;
                    if (record.Layer is not { } digest)
                    {
                        manifest.Records.Add(new CacheManifestRecord { Key = key.ToString(), CreatedBy = record.CreatedBy, HistoryCreated = record.HistoryCreated });
                        continue;
                    }
                    // A record whose layer was pruned is a miss here, so it is not worth exporting.
                    var layer = await store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false);
                    if (layer is null || await store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null) continue;
                    var stored = new Descriptor(layer.MediaType, digest, layer.Size);
                    // Streamed through the store source: a corrupt stored layer fails the export naming it.
                    var exported = await variants.VariantAsync(stored, layer.DiffId, ct => source.OpenBlobAsync(stored, ct), cancellationToken).ConfigureAwait(false);
                    if (seen.Add(exported.Digest))
                    {
                        uploads.Start(exported, layer.DiffId, ct => source.OpenBlobAsync(exported, ct));
                        layers.Add(exported);
                    }
                    manifest.Records.Add(new CacheManifestRecord
                    {
                        Key = key.ToString(),
                        Layer = exported.Digest.ToString(),
                        DiffId = layer.DiffId.ToString(),
                        LayerMediaType = exported.MediaType,
                        LayerSize = exported.Size,
                        ContentSize = layer.ContentSize,
                        Snapshot = record.Snapshot,
                        CreatedBy = record.CreatedBy,
                        HistoryCreated = record.HistoryCreated,
                    });
                }
                // Every layer is in the target before the mounts' scratch files are made and the manifest names them.
                await uploads.WaitAsync().ConfigureAwait(false);
            }
            catch
            {
                await uploads.AbandonAsync().ConfigureAwait(false);
                throw;
            }
            if (spec.Mounts) await ExportMountsAsync(store, target, manifest, layers, cancellationToken).ConfigureAwait(false);

            var configBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, CacheManifestJsonContext.Default.CacheManifest);
            var config = new Descriptor(CacheManifest.MediaType, Digest.Compute(configBytes), configBytes.Length);
            var manifestBytes = OciJson.Serialize(new ImageManifest(config, layers) { MediaType = MediaTypes.OciManifest, ArtifactType = CacheManifest.ArtifactType });
            var manifestDescriptor = new Descriptor(MediaTypes.OciManifest, Digest.Compute(manifestBytes), manifestBytes.Length);
            await target.PublishAsync(manifestDescriptor, manifestBytes, configBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each cache mount directory becomes one layer (its content at the root), named by an
    /// annotation and in the config. The layer is written to a scratch file first: its digest must
    /// be known before a registry upload starts.
    /// </summary>
    private static async Task ExportMountsAsync(ImageStore store, ICacheTarget target, CacheManifest manifest, List<Descriptor> layers, CancellationToken cancellationToken)
    {
        var root = CacheMounts.Root(store);
        if (!Directory.Exists(root)) return;
        Directory.CreateDirectory(store.Layout.Temp);
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            // A *.new-* directory is an instance being made or removed, not a cache.
            if (!CacheMounts.IsValidName(name) || name.Contains(Usage.CacheMountUsage.StagingMarker, StringComparison.Ordinal)) continue;
            var scratch = Path.Combine(store.Layout.Temp, "cache-mount-export-" + Guid.NewGuid().ToString("N"));
            try
            {
                LayerWriteResult result;
                var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                    result = await LayerWriter.WriteTreeAsync(dir, file, LayerWriteOptions.Default, cancellationToken).ConfigureAwait(false);
                var descriptor = new Descriptor(result.MediaType, result.Digest, result.Size)
                {
                    Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [CacheManifest.MountAnnotation] = name },
                };
                await target.WriteLayerAsync(descriptor, result.DiffId, _ => Task.FromResult<Stream>(File.OpenRead(scratch)), cancellationToken).ConfigureAwait(false);
                layers.Add(descriptor);
                manifest.Mounts.Add(new CacheManifestMount { Name = name, Layer = result.Digest.ToString(), DiffId = result.DiffId.ToString(), MediaType = result.MediaType, Size = result.Size });
            }
            finally
            {
                File.Delete(scratch);
            }
        }
    }
}
