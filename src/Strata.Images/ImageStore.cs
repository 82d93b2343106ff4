using Microsoft.Data.Sqlite;
using Strata.Content;
using Strata.Core;
using Strata.Images.Access;
using Strata.Images.Indexes;
using Strata.Images.Leases;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images;

/// <summary>
/// The local image store: an OCI image layout (blobs + index.json, readable by skopeo and
/// umoci) plus SQLite metadata (names, images, layers, containers). Every verb that
/// reads or changes images goes through this facade.
/// </summary>
public sealed class ImageStore
{
    private ImageStore(StoreLayout layout, IContentStore content, MetadataStore metadata, ImageStoreOptions options, string? closedOnOpen)
    {
        ClosedOnOpen = closedOnOpen;
        Layout = layout;
        Content = content;
        Metadata = metadata;
        Options = options;
        Leases = new LeaseManager(metadata, content, options.Time);
        Indexes = new IndexCatalog(this);
    }

    /// <summary>The image indexes the store keeps (multi-platform images).</summary>
    public IndexCatalog Indexes { get; }

    public StoreLayout Layout { get; }

    public IContentStore Content { get; }

    public MetadataStore Metadata { get; }

    public ImageStoreOptions Options { get; }

    /// <summary>What running operations hold (the GC never removes it); the current operation's lease is ambient.</summary>
    public LeaseManager Leases { get; }

    /// <summary>What opening the store closed to other users (a store an earlier version left open), or null.</summary>
    public string? ClosedOnOpen { get; }

    /// <summary>The store clock's current time (tests fix it).</summary>
    public DateTimeOffset Now => Options.Time.GetUtcNow();

    public static async Task<ImageStore> OpenAsync(string root, ImageStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new StoreLayout(Path.GetFullPath(root));
        var closedOnOpen = StoreAccess.EnsureClosed(layout.Root);
        Directory.CreateDirectory(layout.Temp);
        var content = FileContentStore.Open(layout.Root);
        var reserve = new StoreReserve(layout.Root);
        reserve.Ensure();
        var metadata = await MetadataStore.OpenAsync(layout.MetadataDb, options.UseReserveWhenFull ? reserve.Release : null, options.OwnerTables, cancellationToken).ConfigureAwait(false);
        var store = new ImageStore(layout, content, metadata, options, closedOnOpen);
        if (!File.Exists(layout.IndexJson))
        {
            await metadata.WriteAsync(async (c, ct) => { await store.WriteIndexAsync(c, ct).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
        }
        return store;
    }

    /// <summary>The image <paramref name="nameOrId"/> names, as docker resolves it: a reference, a full ID, or a unique ID prefix.</summary>
    public Task<StoredImage> GetAsync(string nameOrId, CancellationToken cancellationToken) => GetAsync(nameOrId, null, cancellationToken);

    /// <summary>
    /// As above for <paramref name="platform"/> (null: the host's when the name is an index):
    /// an index name gives its child of that platform, an image must be of it.
    /// </summary>
    /// <exception cref="NotFoundException">No such image, or the index has no such platform present.</exception>
    public async Task<StoredImage> GetAsync(string nameOrId, Platform? platform, CancellationToken cancellationToken)
    {
        return await TryGetAsync(nameOrId, platform, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"No such image: {nameOrId}");
    }

    public Task<StoredImage?> TryGetAsync(string nameOrId, CancellationToken cancellationToken) => TryGetAsync(nameOrId, null, cancellationToken);

    /// <summary>Null when nothing is named so; an index without the platform present throws <see cref="NotFoundException"/> naming it.</summary>
    public async Task<StoredImage?> TryGetAsync(string nameOrId, Platform? platform, CancellationToken cancellationToken)
    {
        var image = await TryGetCoreAsync(nameOrId, platform, cancellationToken).ConfigureAwait(false);
        if (image is not null && platform is not null && !Transfer.PlatformMatch.Matches(image.Config.Platform, platform))
            throw new NotFoundException($"image {nameOrId} is {image.Config.Platform}, not {platform}");
        return image;
    }

    private async Task<StoredImage?> TryGetCoreAsync(string nameOrId, Platform? platform, CancellationToken cancellationToken)
    {
        var id = await ResolveIdAsync(nameOrId, platform, cancellationToken).ConfigureAwait(false);
        if (id is null) return null;
        var record = await Metadata.FindImageAsync(id.Value, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        if (Leases.Current is not null)
        {
            // An operation that uses an image (a build's base, a container's commit) holds its
            // blobs, then looks again: an rmi or prune in another process either removed the
            // image before the lease (not found) or keeps its blobs for this operation. All in
            // one write, and nothing at all when the lease holds them already (the same base
            // in several stages).
            var layers = await Metadata.ImageLayersAsync(record.Id, cancellationToken).ConfigureAwait(false);
            await Leases.AddBlobsAsync([record.ManifestDigest, record.Id, .. layers.Select(l => l.Digest)], cancellationToken).ConfigureAwait(false);
            record = await Metadata.FindImageAsync(id.Value, cancellationToken).ConfigureAwait(false);
            if (record is null) return null;
        }
        return await ReadAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image ID <paramref name="nameOrId"/> refers to (an index name: its host platform's image), or null.</summary>
    public Task<Digest?> ResolveIdAsync(string nameOrId, CancellationToken cancellationToken) => ResolveIdAsync(nameOrId, null, cancellationToken);

    /// <summary>
    /// As above; a name (digest, ID prefix) of an index resolves to its present child for
    /// <paramref name="platform"/> (null: the host's), or throws <see cref="NotFoundException"/>
    /// naming the reference and the platform.
    /// </summary>
    public async Task<Digest?> ResolveIdAsync(string nameOrId, Platform? platform, CancellationToken cancellationToken)
    {
        if (await ResolveImageIdAsync(nameOrId, cancellationToken).ConfigureAwait(false) is { } id) return id;
        var index = await Indexes.TryFindAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        return index?.ImageIdFor(platform ?? Platform.Host, nameOrId);
    }

    /// <summary>The image <paramref name="nameOrId"/> names itself (a tag, digest or ID of an image, never through an index), or null.</summary>
    public async Task<Digest?> ResolveImageIdAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        if (Digest.TryParse(nameOrId, out var full) && full.IsRegistered)
            return (await Metadata.FindImageAsync(full, cancellationToken).ConfigureAwait(false))?.Id;
        if (ImageReference.TryParse(nameOrId, out var reference))
        {
            if (reference.Digest is { } pinned)
            {
                var byManifest = (await Metadata.ListImagesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(i => i.ManifestDigest == pinned);
                if (byManifest is not null) return byManifest.Id;
            }
            else
            {
                var tag = await Metadata.FindTagAsync(reference, cancellationToken).ConfigureAwait(false);
                if (tag is not null) return tag.ImageId;
            }
        }
        var hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        if (hex.Length is > 0 and <= 64 && hex.All(char.IsAsciiHexDigitLower))
        {
            var matches = await Metadata.FindImagesByPrefixAsync(hex, cancellationToken).ConfigureAwait(false);
            if (matches.Count > 1) throw new InvalidArgumentException($"image ID prefix \"{nameOrId}\" is ambiguous: it matches {matches.Count} images");
            if (matches.Count == 1) return matches[0].Id;
        }
        return null;
    }

    /// <summary>Every image, newest first (as <c>docker images</c> lists them).</summary>
    public async Task<List<StoredImage>> ListAsync(CancellationToken cancellationToken)
    {
        var records = await Metadata.ListImagesAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<StoredImage>(records.Count);
        // Names are read once for the whole listing, not once per image.
        var tags = await Metadata.ListTagsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records) images.Add(await ReadAsync(record, tags, cancellationToken).ConfigureAwait(false));
        return [.. images.OrderByDescending(i => i.Record.Created ?? i.Record.AddedAt).ThenBy(i => i.Id)];
    }

    /// <summary>Reads and verifies the manifest and config of a recorded image.</summary>
    public async Task<StoredImage> ReadAsync(ImageRecord record, CancellationToken cancellationToken) =>
        await ReadAsync(record, await Metadata.ListTagsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<StoredImage> ReadAsync(ImageRecord record, IReadOnlyList<TagRecord> allTags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var manifestBytes = await Content.ReadAllBytesAsync(record.ManifestDigest, Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var manifest = OciJson.DeserializeManifest(manifestBytes, $"manifest {record.ManifestDigest}");
        var configBytes = await Content.ReadAllBytesAsync(manifest.Config.Digest, Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var config = OciJson.DeserializeConfig(configBytes, $"config {manifest.Config.Digest}");
        var layers = await Metadata.ImageLayersAsync(record.Id, cancellationToken).ConfigureAwait(false);
        var tags = allTags.Where(t => t.ImageId == record.Id).Select(t => t.Name).ToList();
        return new StoredImage(record, manifest, config, layers, tags);
    }

    /// <summary>
    /// Writes <paramref name="config"/> and a manifest over <paramref name="layers"/> (already in
    /// the store), records the image and points <paramref name="tags"/> at it. The config's
    /// diff_ids must match the layers. Returns the stored image.
    /// </summary>
    public Task<StoredImage> CommitImageAsync(ImageConfig config, IReadOnlyList<LayerRecord> layers, IReadOnlyList<ImageReference> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return CommitImageAsync(config, OciJson.Serialize(config), layers, tags, cancellationToken);
    }

    /// <summary>As above, with <paramref name="annotations"/> on the manifest (a build's provenance).</summary>
    public Task<StoredImage> CommitImageAsync(ImageConfig config, IReadOnlyList<LayerRecord> layers, IReadOnlyList<ImageReference> tags, IReadOnlyDictionary<string, string>? annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return CommitImageAsync(config, OciJson.Serialize(config), layers, tags, annotations, cancellationToken);
    }

    /// <summary>As above, keeping the config's exact bytes (a loaded image keeps its ID).</summary>
    public Task<StoredImage> CommitImageAsync(ImageConfig config, ReadOnlyMemory<byte> configBytes, IReadOnlyList<LayerRecord> layers, IReadOnlyList<ImageReference> tags, CancellationToken cancellationToken) =>
        CommitImageAsync(config, configBytes, layers, tags, null, cancellationToken);

    private async Task<StoredImage> CommitImageAsync(ImageConfig config, ReadOnlyMemory<byte> configBytes, IReadOnlyList<LayerRecord> layers, IReadOnlyList<ImageReference> tags, IReadOnlyDictionary<string, string>? annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(tags);
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != layers.Count || !diffIds.SequenceEqual(layers.Select(l => l.DiffId)))
            throw new InvalidArgumentException($"image config lists {diffIds.Count} diff IDs that do not match its {layers.Count} layers");
        var configDescriptor = new Descriptor(MediaTypes.OciConfig, Digest.Compute(configBytes.Span), configBytes.Length);
        var manifest = new ImageManifest(configDescriptor, [.. layers.Select(l => new Descriptor(l.MediaType, l.Digest, l.Size))])
        {
            MediaType = MediaTypes.OciManifest,
            Annotations = annotations is { Count: > 0 } ? annotations : null,
        };
        ReadOnlyMemory<byte> manifestBytes = OciJson.Serialize(manifest);
        var manifestDescriptor = new Descriptor(MediaTypes.OciManifest, Digest.Compute(manifestBytes.Span), manifestBytes.Length);
        // Both held by the current lease in one write, before either becomes visible.
        await LeaseNewBlobsAsync([configBytes, manifestBytes], cancellationToken).ConfigureAwait(false);
        await Content.WriteBlobAsync(MediaTypes.OciConfig, configBytes, cancellationToken).ConfigureAwait(false);
        await Content.WriteBlobAsync(MediaTypes.OciManifest, manifestBytes, cancellationToken).ConfigureAwait(false);
        return await RecordImageAsync(manifestDescriptor, manifest, config, layers, tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a small blob (a config, a manifest), held by the current lease from before it becomes visible.</summary>
    public async Task<Descriptor> WriteBlobAsync(string mediaType, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await LeaseNewBlobsAsync([data], cancellationToken).ConfigureAwait(false);
        return await Content.WriteBlobAsync(mediaType, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds the blobs of <paramref name="blobs"/> in the current lease (one write), noting those not yet in the store as brought by it.</summary>
    private async Task LeaseNewBlobsAsync(IReadOnlyList<ReadOnlyMemory<byte>> blobs, CancellationToken cancellationToken)
    {
        if (Leases.Current is null) return;
        var held = new List<(Digest, bool)>(blobs.Count);
        foreach (var data in blobs)
        {
            var digest = Digest.Compute(data.Span);
            held.Add((digest, await Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null));
        }
        await Leases.AddBlobsAsync(held, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an image whose manifest and config blobs are already stored (load keeps them byte for byte).</summary>
    public async Task<StoredImage> RecordImageAsync(Descriptor manifestDescriptor, ImageManifest manifest, ImageConfig config, IReadOnlyList<LayerRecord> layers, IReadOnlyList<ImageReference> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestDescriptor);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(tags);
        var record = new ImageRecord(manifest.Config.Digest, manifestDescriptor.Digest, manifestDescriptor.MediaType, manifestDescriptor.Size,
            config.Created, layers.Sum(l => l.ContentSize), Now);
        await Metadata.WriteAsync(async (c, ct) =>
        {
            // Collectors remove blobs inside this same transaction lock: checked here, every blob
            // the image names is still there once it is recorded (a GC that ran too early while
            // the operation held no lease shows up as this error, never as a broken image).
            foreach (var digest in (IEnumerable<Digest>)[record.ManifestDigest, record.Id, .. layers.Select(l => l.Digest)])
            {
                if (await Content.InfoAsync(digest, ct).ConfigureAwait(false) is null)
                    throw new NotFoundException($"blob {digest} of image {record.Id} was removed before the image was recorded");
            }
            await MetadataStore.PutImageAsync(c, record, layers, ct).ConfigureAwait(false);
            foreach (var tag in tags) await MetadataStore.PutTagAsync(c, tag, record.Id, Now, ct).ConfigureAwait(false);
            await WriteIndexAsync(c, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        var stored = await Metadata.FindImageAsync(record.Id, cancellationToken).ConfigureAwait(false) ?? record;
        return await ReadAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>strata tag SOURCE TARGET</c>.</summary>
    public async Task TagAsync(string source, string target, CancellationToken cancellationToken)
    {
        // A multi-platform image's name tags the index, not its host platform's image.
        var index = await ResolveImageIdAsync(source, cancellationToken).ConfigureAwait(false) is null
            ? await Indexes.TryFindAsync(source, cancellationToken).ConfigureAwait(false) : null;
        var id = index is not null ? index.Digest : await ResolveIdAsync(source, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"No such image: {source}");
        var reference = ImageReference.Parse(target);
        if (reference.Digest is not null) throw new InvalidArgumentException($"refusing to create a tag with a digest reference: {target}");
        if (index is not null)
        {
            await Metadata.WriteAsync(async (c, ct) =>
            {
                await IndexTables.PutTagAsync(c, reference, index.Digest, Now, ct).ConfigureAwait(false);
                await WriteIndexAsync(c, ct).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            return;
        }
        await Metadata.WriteAsync(async (c, ct) =>
        {
            await MetadataStore.PutTagAsync(c, reference, id, Now, ct).ConfigureAwait(false);
            await WriteIndexAsync(c, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rewrites index.json from the metadata, inside the caller's write transaction (which
    /// serializes writers across processes): every image is listed, named ones with
    /// <c>org.opencontainers.image.ref.name</c> so <c>skopeo inspect oci:ROOT:NAME</c> finds them.
    /// </summary>
    internal async Task WriteIndexAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var images = await MetadataStore.QueryAsync(connection, "SELECT id, manifest_digest, manifest_media_type, manifest_size FROM images ORDER BY id",
            r => (Id: Digest.Parse(r.GetString(0)), Manifest: new Descriptor(r.GetString(2), Digest.Parse(r.GetString(1)), r.GetInt64(3))), cancellationToken).ConfigureAwait(false);
        var tags = await MetadataStore.ListTagsAsync(connection, cancellationToken).ConfigureAwait(false);
        var indexes = await IndexTables.ListAsync(connection, cancellationToken).ConfigureAwait(false);
        var indexTags = await IndexTables.TagsAsync(connection, cancellationToken).ConfigureAwait(false);
        var children = (await IndexTables.ChildrenAsync(connection, cancellationToken).ConfigureAwait(false)).Values.SelectMany(l => l).Select(c => c.Manifest.Digest).ToHashSet();
        var manifests = new List<Descriptor>();
        foreach (var image in images)
        {
            var names = tags.Where(t => t.ImageId == image.Id).Select(t => t.Name).ToList();
            if (names.Count == 0)
            {
                // An index's child is reached through its index; listing it too would make it a root of its own.
                if (!children.Contains(image.Manifest.Digest)) manifests.Add(image.Manifest);
                continue;
            }
            foreach (var name in names)
            {
                manifests.Add(image.Manifest with
                {
                    Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        [StoreAnnotations.RefName] = name.Familiar,
                        [StoreAnnotations.ImageName] = name.ToString(),
                    },
                });
            }
        }
        foreach (var index in indexes)
        {
            var names = indexTags.Where(t => t.Index == index.Digest).Select(t => t.Name).ToList();
            if (names.Count == 0) manifests.Add(index.Descriptor);
            foreach (var name in names) manifests.Add(index.Descriptor with { Annotations = NameAnnotations(name) });
        }
        var layoutIndex = new ImageIndex(manifests) { MediaType = MediaTypes.OciIndex };
        await AtomicFile.WriteIfChangedAsync(Layout.IndexJson, OciJson.Serialize(layoutIndex), cancellationToken).ConfigureAwait(false);
    }

    private static SortedDictionary<string, string> NameAnnotations(ImageReference name) => new(StringComparer.Ordinal)
    {
        [StoreAnnotations.RefName] = name.Familiar,
        [StoreAnnotations.ImageName] = name.ToString(),
    };
}
