using System.Text.Json;
using Strata.Archive;
using Strata.Content;
using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-to type=local,dest=DIR</c>: writes an OCI image layout (<see cref="OciLayoutSink"/>) holding the records' layer
/// blobs and a <see cref="CacheManifest"/> config, referenced from index.json by a manifest
/// (ref name <c>strata-build-cache</c>), so skopeo and umoci can copy the directory. Blobs are
/// written first and index.json last (atomically): an interrupted export leaves the previous
/// index in place, never one naming a missing blob.
/// </summary>
internal static class CacheExporter
{
    public static async Task ExportAsync(ImageStore store, IReadOnlyList<CacheKey> keys, CacheExportSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(spec);
        var source = new StoreSource(store, [], "--cache-to");
        var sink = new OciLayoutSink(spec.Destination, "--cache-to");
        // Records name the exported (compressed) layer; an import stores it as it is.
        using var variants = new Strata.Images.Layers.LayerVariants(store, spec.Compression);
        await using (source.ConfigureAwait(false))
        await using (sink.ConfigureAwait(false))
        {
            var records = new BuildCacheStore(store.Metadata);
            var manifest = new CacheManifest();
            var layers = new List<Descriptor>();
            var seen = new HashSet<Digest>();
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
                    await sink.WriteLayerAsync(exported, layer.DiffId, ct => source.OpenBlobAsync(exported, ct), cancellationToken).ConfigureAwait(false);
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
            if (spec.Mounts) await ExportMountsAsync(store, sink.Blobs, manifest, layers, cancellationToken).ConfigureAwait(false);

            // The cache is an artifact, not an image: its manifest goes in through the layout's blobs.
            var configBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, CacheManifestJsonContext.Default.CacheManifest);
            var config = await sink.Blobs.WriteBlobAsync(CacheManifest.MediaType, configBytes, cancellationToken).ConfigureAwait(false);
            var ociManifest = new ImageManifest(config, layers) { MediaType = MediaTypes.OciManifest, ArtifactType = CacheManifest.ArtifactType };
            var manifestDescriptor = await sink.Blobs.WriteBlobAsync(MediaTypes.OciManifest, OciJson.Serialize(ociManifest), cancellationToken).ConfigureAwait(false);
            sink.AddRoot(manifestDescriptor with
            {
                ArtifactType = CacheManifest.ArtifactType,
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["org.opencontainers.image.ref.name"] = CacheManifest.RefName },
            });
            await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Each cache mount directory becomes one layer (its content at the root), named by an annotation and in the config.</summary>
    private static async Task ExportMountsAsync(ImageStore store, IContentStore layout, CacheManifest manifest, List<Descriptor> layers, CancellationToken cancellationToken)
    {
        var root = CacheMounts.Root(store);
        if (!Directory.Exists(root)) return;
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            // A *.new-* directory is an instance being made or removed, not a cache.
            if (!CacheMounts.IsValidName(name) || name.Contains(Usage.CacheMountUsage.StagingMarker, StringComparison.Ordinal)) continue;
            LayerWriteResult result;
            await using (var writer = await layout.OpenWriterAsync(cancellationToken).ConfigureAwait(false))
            {
                result = await LayerWriter.WriteTreeAsync(dir, writer, LayerWriteOptions.Default, cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(result.Size, result.Digest, cancellationToken).ConfigureAwait(false);
            }
            layers.Add(new Descriptor(result.MediaType, result.Digest, result.Size)
            {
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [CacheManifest.MountAnnotation] = name },
            });
            manifest.Mounts.Add(new CacheManifestMount { Name = name, Layer = result.Digest.ToString(), DiffId = result.DiffId.ToString(), MediaType = result.MediaType, Size = result.Size });
        }
    }
}
