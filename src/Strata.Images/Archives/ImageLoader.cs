using Strata.Archive;
using Strata.Content;
using Strata.Core;
using Strata.Images.Layers;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata load</c>: reads a legacy docker-archive (Docker 24 and older: manifest.json,
/// &lt;id&gt;.json, &lt;id&gt;/layer.tar), the Docker 25+ combined archive, or a plain OCI
/// layout archive; plain or gzip/zstd-compressed, from a file or a pipe. Every config and
/// layer is verified against its digest and the config's diff IDs before the image is recorded.
/// </summary>
public static class ImageLoader
{
    public static async Task<IReadOnlyList<LoadedImage>> LoadAsync(ImageStore store, Stream input, string archiveName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        // Every blob the load brings is held until its image is recorded; a load that fails
        // takes back the blobs only it brought (nothing else names them), instead of leaving
        // them for the next prune.
        var lease = store.Leases.Begin();
        try
        {
            var loaded = await LoadCoreAsync(store, input, archiveName, cancellationToken).ConfigureAwait(false);
            await lease.DisposeAsync().ConfigureAwait(false);
            return loaded;
        }
        catch
        {
            await lease.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<IReadOnlyList<LoadedImage>> LoadCoreAsync(ImageStore store, Stream input, string archiveName, CancellationToken cancellationToken)
    {
        string? spool = null;
        try
        {
            string path;
            if (input is FileStream file && file.CanSeek && !await IsCompressedAsync(file, cancellationToken).ConfigureAwait(false))
            {
                path = file.Name;
            }
            else
            {
                // Pipes and compressed archives are decompressed once into scratch space: the
                // members must be read out of order (manifest.json usually comes last).
                spool = Path.Combine(store.Layout.Temp, $"load-{Guid.NewGuid():N}.tar");
                await using var plain = LayerCompressionDetector.OpenDecompressed(input);
                await using var target = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await plain.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                path = spool;
            }
            using var archive = await TarIndex.BuildAsync(path, archiveName, cancellationToken).ConfigureAwait(false);
            if (archive.Contains("manifest.json"))
                return await LoadDockerArchiveAsync(store, archive, archiveName, cancellationToken).ConfigureAwait(false);
            if (archive.Contains("index.json"))
                return await LoadOciLayoutAsync(store, archive, archiveName, cancellationToken).ConfigureAwait(false);
            throw new InvalidArgumentException($"{archiveName}: not an image archive (no manifest.json or index.json)");
        }
        finally
        {
            if (spool is not null) File.Delete(spool);
        }
    }

    private static async Task<bool> IsCompressedAsync(FileStream file, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        long start = file.Position;
        int n = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = start;
        return LayerCompressionDetector.Detect(magic.AsSpan(0, n)) != LayerCompression.None;
    }

    private static async Task<IReadOnlyList<LoadedImage>> LoadDockerArchiveAsync(ImageStore store, TarIndex archive, string archiveName, CancellationToken cancellationToken)
    {
        var manifestBytes = await archive.ReadAllAsync("manifest.json", store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var entries = OciJson.DeserializeDockerArchiveManifest(manifestBytes, $"{archiveName}: manifest.json");
        if (entries is null || entries.Count == 0) throw new InvalidArgumentException($"{archiveName}: manifest.json lists no images");

        // Docker 25+ archives are also OCI layouts: reuse their manifests so digests survive.
        var ociManifests = archive.Contains("index.json")
            ? await TryReadOciManifestsAsync(store, archive, archiveName, cancellationToken).ConfigureAwait(false)
            : [];

        var loaded = new List<LoadedImage>();
        foreach (var entry in entries)
        {
            if (entry?.Config is null || entry.Layers is null) throw new InvalidArgumentException($"{archiveName}: manifest.json has an entry without Config or Layers");
            var configBytes = await archive.ReadAllAsync(entry.Config, store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
            var configDigest = Digest.Compute(configBytes);
            var named = DigestFromPath(entry.Config);
            if (named is { } n && n != configDigest) throw new DigestMismatchException(n, configDigest, $"{archiveName}: {entry.Config}");
            var config = OciJson.DeserializeConfig(configBytes, $"{archiveName}: {entry.Config}");
            var diffIds = config.RootFs?.DiffIds ?? [];
            if (diffIds.Count != entry.Layers.Count)
                throw new InvalidArgumentException($"{archiveName}: config {entry.Config} lists {diffIds.Count} diff IDs but manifest.json lists {entry.Layers.Count} layers");

            var oci = ociManifests.FirstOrDefault(m => m.Manifest.Config.Digest == configDigest);
            var layers = new List<LayerRecord>();
            for (int i = 0; i < entry.Layers.Count; i++)
            {
                var layerPath = entry.Layers[i];
                var known = oci?.Manifest.Layers.ElementAtOrDefault(i);
                var expectedDigest = known?.Digest ?? DigestFromPath(layerPath);
                await using var data = archive.Open(layerPath);
                var mediaType = known?.MediaType ?? await SniffLayerMediaTypeAsync(data, cancellationToken).ConfigureAwait(false);
                data.Position = 0;
                layers.Add(await LayerIngest.FromBlobAsync(store, data, mediaType, diffIds[i], expectedDigest, $"{archiveName}: {layerPath}", cancellationToken).ConfigureAwait(false));
            }

            var names = (entry.RepoTags ?? []).Select(t => ParseName(t, archiveName)).ToList();
            StoredImage image;
            if (oci is not null)
            {
                var manifestDescriptor = await store.WriteBlobAsync(oci.Descriptor.MediaType, oci.Bytes, cancellationToken).ConfigureAwait(false);
                await store.WriteBlobAsync(oci.Manifest.Config.MediaType, configBytes, cancellationToken).ConfigureAwait(false);
                image = await store.RecordImageAsync(manifestDescriptor, oci.Manifest, config, layers, names, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                image = await store.CommitImageAsync(config, configBytes, layers, names, cancellationToken).ConfigureAwait(false);
            }
            loaded.Add(new LoadedImage(image, names));
        }
        return loaded;
    }

    private static async Task<IReadOnlyList<LoadedImage>> LoadOciLayoutAsync(ImageStore store, TarIndex archive, string archiveName, CancellationToken cancellationToken)
    {
        var manifests = await ReadOciManifestsAsync(store, archive, archiveName, cancellationToken).ConfigureAwait(false);
        if (manifests.Count == 0) throw new InvalidArgumentException($"{archiveName}: index.json lists no image for {Platform.Host}");
        var loaded = new List<LoadedImage>();
        foreach (var group in manifests.GroupBy(m => m.Descriptor.Digest))
        {
            var first = group.First();
            var names = group.Select(m => m.Name).OfType<ImageReference>().Distinct().ToList();
            var image = await ManifestIngest.RecordAsync(store, first.Descriptor, first.Bytes, first.Manifest,
                d => ReadBlobAsync(archive, d, store.Options.MaxDocumentBytes, archiveName, cancellationToken),
                d => archive.Open(ImageSaver.BlobPath(d.Digest)),
                names, archiveName, cancellationToken).ConfigureAwait(false);
            loaded.Add(new LoadedImage(image, names));
        }
        return loaded;
    }

    /// <summary>
    /// The OCI side of a docker-archive is a bonus: docker load ignores it, and some writers
    /// leave it empty (<c>"manifests": null</c>), so an unreadable one is not an error here.
    /// </summary>
    private static async Task<List<OciManifestEntry>> TryReadOciManifestsAsync(ImageStore store, TarIndex archive, string archiveName, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadOciManifestsAsync(store, archive, archiveName, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidArgumentException)
        {
            return [];
        }
    }

    private sealed record OciManifestEntry(Descriptor Descriptor, ImageManifest Manifest, byte[] Bytes, ImageReference? Name);

    /// <summary>The image manifests index.json names (through nested indexes, for the host platform), verified.</summary>
    private static async Task<List<OciManifestEntry>> ReadOciManifestsAsync(ImageStore store, TarIndex archive, string archiveName, CancellationToken cancellationToken)
    {
        var indexBytes = await archive.ReadAllAsync("index.json", store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var index = OciJson.DeserializeIndex(indexBytes, $"{archiveName}: index.json");
        var result = new List<OciManifestEntry>();
        await CollectAsync(index.Manifests, null, 0).ConfigureAwait(false);
        return result;

        async Task CollectAsync(IReadOnlyList<Descriptor> descriptors, ImageReference? inheritedName, int depth)
        {
            if (depth > 4) throw new InvalidArgumentException($"{archiveName}: indexes nested too deeply");
            foreach (var descriptor in descriptors)
            {
                var name = NameFromAnnotations(descriptor) ?? inheritedName;
                if (MediaTypes.IsIndex(descriptor.MediaType))
                {
                    var nestedBytes = await ReadBlobAsync(archive, descriptor, store.Options.MaxDocumentBytes, archiveName, cancellationToken).ConfigureAwait(false);
                    var nested = OciJson.DeserializeIndex(nestedBytes, $"{archiveName}: index {descriptor.Digest}");
                    var candidates = nested.Manifests.Where(m => m.Platform is null || (m.Platform.Os == Platform.Host.Os && m.Platform.Architecture == Platform.Host.Architecture)).Take(1).ToList();
                    await CollectAsync(candidates, name, depth + 1).ConfigureAwait(false);
                }
                else if (MediaTypes.IsManifest(descriptor.MediaType))
                {
                    var bytes = await ReadBlobAsync(archive, descriptor, store.Options.MaxDocumentBytes, archiveName, cancellationToken).ConfigureAwait(false);
                    var manifest = OciJson.DeserializeManifest(bytes, $"{archiveName}: manifest {descriptor.Digest}");
                    result.Add(new OciManifestEntry(descriptor, manifest, bytes, name));
                }
                // Other artifacts (attestations, signatures) are not images: skipped, as docker does.
            }
        }
    }

    private static async Task<byte[]> ReadBlobAsync(TarIndex archive, Descriptor descriptor, long maxBytes, string archiveName, CancellationToken cancellationToken)
    {
        var bytes = await archive.ReadAllAsync(ImageSaver.BlobPath(descriptor.Digest), maxBytes, cancellationToken).ConfigureAwait(false);
        var actual = Digest.Compute(bytes);
        if (actual != descriptor.Digest) throw new DigestMismatchException(descriptor.Digest, actual, $"{archiveName}: blob");
        if (bytes.Length != descriptor.Size) throw new DigestMismatchException($"{archiveName}: blob {descriptor.Digest} is {bytes.Length} bytes, its descriptor says {descriptor.Size}");
        return bytes;
    }

    private static ImageReference? NameFromAnnotations(Descriptor descriptor)
    {
        if (descriptor.Annotation(StoreAnnotations.ImageName) is { } full && ImageReference.TryParse(full, out var r1)) return r1;
        // A bare ref.name ("latest") names no repository; only a full name is usable.
        if (descriptor.Annotation(StoreAnnotations.RefName) is { } refName && (refName.Contains(':', StringComparison.Ordinal) || refName.Contains('/', StringComparison.Ordinal))
            && ImageReference.TryParse(refName, out var r2)) return r2;
        return null;
    }

    private static ImageReference ParseName(string tag, string archiveName)
    {
        if (!ImageReference.TryParse(tag, out var reference)) throw new InvalidArgumentException($"{archiveName}: invalid RepoTag \"{tag}\"");
        return reference;
    }

    /// <summary>The digest a member's path promises: <c>blobs/sha256/HEX</c> or legacy <c>HEX.json</c>.</summary>
    private static Digest? DigestFromPath(string path)
    {
        var parts = path.Split('/');
        if (parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out var d)) return d;
        var file = Path.GetFileNameWithoutExtension(path);
        if (parts.Length == 1 && path.EndsWith(".json", StringComparison.Ordinal) && Digest.TryParse("sha256:" + file, out var legacy)) return legacy;
        return null;
    }

    private static async Task<string> SniffLayerMediaTypeAsync(Stream data, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        int n = await data.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return LayerCompressionDetector.Detect(magic.AsSpan(0, n)) switch
        {
            LayerCompression.Gzip => MediaTypes.OciLayerGzip,
            LayerCompression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };
    }
}
