using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Indexes;

/// <summary>
/// <c>strata manifest create</c>: an OCI image index made of images already in the store, each
/// listed under the platform its config states, stored as a blob and recorded under a name as a
/// pulled index is. Docker keeps such a list beside its store until pushed; here it is an index
/// like any other, so <c>images</c>, <c>inspect --platform</c>, <c>save</c> and <c>push</c> read it.
/// </summary>
public static class IndexAssembler
{
    // docker's manifest lists are indented with three spaces; written so, the bytes `manifest
    // inspect` prints are the blob whose digest `manifest push` reports.
    // Relaxed escaping: a media type keeps its '+' as docker and the registry write it, not \u002B.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, IndentSize = 3, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Makes (or with <see cref="IndexCreateOptions.Amend"/> extends) the index <paramref name="name"/> from <paramref name="images"/>.</summary>
    /// <param name="images">Names or IDs of images (not indexes), in the order the index lists them.</param>
    /// <exception cref="AlreadyExistsException">The name is an index already and amending was not asked for.</exception>
    /// <exception cref="InvalidArgumentException">An image is an index, lacks a platform, or two images are of one platform.</exception>
    /// <exception cref="NotFoundException">An image is not in the store.</exception>
    public static async Task<StoredIndex> CreateAsync(ImageStore store, ImageReference name, IReadOnlyList<string> images, IndexCreateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count == 0) throw new InvalidArgumentException($"manifest list {name}: name at least one image");
        // The blobs of the images and of the new index are held until the index is recorded.
        await using var lease = store.Leases.Begin();
        var existing = await store.Indexes.TryFindAsync(name.ToString(), cancellationToken).ConfigureAwait(false);
        if (existing is not null && !options.Amend)
            throw new AlreadyExistsException($"refusing to amend the existing manifest list {name} with no --amend flag");

        var added = new List<(string Asked, Descriptor Manifest)>();
        foreach (var asked in images)
        {
            var manifest = await ChildAsync(store, asked, cancellationToken).ConfigureAwait(false);
            if (added.FirstOrDefault(a => Same(a.Manifest.Platform!, manifest.Platform!)) is { Asked: { } other } twin)
            {
                if (twin.Manifest.Digest == manifest.Digest) continue;
                throw new InvalidArgumentException($"images {other} and {asked} are both {manifest.Platform}: a manifest list holds one image per platform");
            }
            added.Add((asked, manifest));
        }

        // Amending keeps the children the new images do not replace, in their order, then the new ones.
        IEnumerable<Descriptor> kept = existing is null ? [] : existing.Children
            .Where(c => c.Platform is null || !added.Any(a => Same(a.Manifest.Platform!, c.Platform)))
            .Select(c => c.Manifest with { Platform = c.Platform });
        var children = kept.Concat(added.Select(a => a.Manifest)).ToList();
        var bytes = Write(children);
        var blob = await store.WriteBlobAsync(MediaTypes.OciIndex, bytes, cancellationToken).ConfigureAwait(false);
        var document = IndexDocument.Parse(new Descriptor(MediaTypes.OciIndex, blob.Digest, bytes.Length), bytes, $"manifest list {name}");
        return await store.Indexes.RecordAsync(document, [name], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest descriptor of the image <paramref name="asked"/> names, with its config's platform.</summary>
    private static async Task<Descriptor> ChildAsync(ImageStore store, string asked, CancellationToken cancellationToken)
    {
        var id = await store.ResolveImageIdAsync(asked, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            if (await store.Indexes.TryFindAsync(asked, cancellationToken).ConfigureAwait(false) is not null)
                throw new InvalidArgumentException($"{asked} is a multi-platform image: a manifest list takes the image of each platform, not an index");
            throw new NotFoundException($"No such image: {asked}");
        }
        var image = await store.GetAsync(id.Value.ToString(), cancellationToken).ConfigureAwait(false);
        var platform = image.Config.Platform;
        if (string.IsNullOrEmpty(platform.Os) || string.IsNullOrEmpty(platform.Architecture))
            throw new InvalidArgumentException($"image {asked} has no os and architecture in its config: a manifest list needs both");
        return image.ManifestDescriptor with { Platform = new Platform(platform.Os, platform.Architecture, platform.Variant) { OsVersion = platform.OsVersion, OsFeatures = platform.OsFeatures } };
    }

    /// <summary>One platform for an index: os and architecture equal, variants equal where both say one.</summary>
    private static bool Same(Platform a, Platform b) => PlatformMatch.Matches(a, b) && PlatformMatch.Matches(b, a);

    private static byte[] Write(IReadOnlyList<Descriptor> children)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var child in children)
            {
                // docker's order of a manifest list entry: media type, size, digest, platform.
                json.WriteStartObject();
                json.WriteString("mediaType", child.MediaType);
                json.WriteNumber("size", child.Size);
                json.WriteString("digest", child.Digest.ToString());
                if (child.Platform is { } p)
                {
                    json.WriteStartObject("platform");
                    json.WriteString("architecture", p.Architecture);
                    json.WriteString("os", p.Os);
                    if (p.OsVersion is { } version) json.WriteString("os.version", version);
                    if (p.OsFeatures is { Count: > 0 } features)
                    {
                        json.WriteStartArray("os.features");
                        foreach (var f in features) json.WriteStringValue(f);
                        json.WriteEndArray();
                    }
                    if (p.Variant is { } variant) json.WriteString("variant", variant);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
