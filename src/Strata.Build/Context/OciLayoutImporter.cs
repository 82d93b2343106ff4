using Strata.Content;
using Strata.Core;
using Strata.Images;
using Strata.Images.Archives;
using Strata.Oci;

namespace Strata.Build.Context;

/// <summary>
/// <c>--build-context NAME=oci-layout://PATH[:TAG|@DIGEST]</c>: copies that image from the
/// layout directory into the store (manifest, config and layers, each verified against its
/// digest and size; never writing to the layout) and records it untagged, so the build uses it
/// by ID like any <c>docker-image://</c> context. A tag is looked up in index.json's
/// <c>org.opencontainers.image.ref.name</c> annotations; an index picks the build's platform.
/// </summary>
internal static class OciLayoutImporter
{
    private const int MaxNesting = 4;

    /// <summary><paramref name="request"/> with every oci-layout context imported and turned into an image context naming the image by ID.</summary>
    public static async Task<BuildRequest> ResolveAsync(ImageStore store, BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.NamedContexts.Any(c => c.Kind == NamedContextKind.OciLayout)) return request;
        var resolved = new List<NamedContext>();
        foreach (var context in request.NamedContexts)
        {
            if (context.Kind != NamedContextKind.OciLayout) { resolved.Add(context); continue; }
            var image = await ImportAsync(store, context, request.Platform, cancellationToken).ConfigureAwait(false);
            resolved.Add(context with { Kind = NamedContextKind.Image, Value = image.Id.ToString() });
        }
        return request with { NamedContexts = resolved };
    }

    public static async Task<StoredImage> ImportAsync(ImageStore store, NamedContext context, Platform platform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(context);
        var where = $"--build-context \"{context.Flag}\"";
        var layout = context.Value;
        var reference = context.LayoutReference ?? "latest";
        var indexPath = Path.Combine(layout, "index.json");
        var index = OciJson.DeserializeIndex(await ReadDocumentAsync(store, indexPath, where, cancellationToken).ConfigureAwait(false), $"{where}: index.json");
        bool byDigest = Digest.TryParse(reference, out var wanted);
        Descriptor? chosen = byDigest
            ? index.Manifests.FirstOrDefault(m => m.Digest == wanted) ?? await SniffAsync(store, layout, wanted, where, cancellationToken).ConfigureAwait(false)
            : index.Manifests.FirstOrDefault(m => m.Annotation(StoreAnnotations.RefName) == reference);
        if (chosen is null) throw new NotFoundException($"{where}: the layout at {layout} has no image {(byDigest ? "" : "tagged ")}{reference}");

        for (int depth = 0; MediaTypes.IsIndex(chosen.MediaType); depth++)
        {
            if (depth == MaxNesting) throw new InvalidArgumentException($"{where}: indexes nested too deeply");
            var nested = OciJson.DeserializeIndex(await ReadBlobAsync(store, layout, chosen, where, cancellationToken).ConfigureAwait(false), $"{where}: index {chosen.Digest}");
            chosen = nested.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == platform.Os && p.Architecture == platform.Architecture && (platform.Variant is null || p.Variant is null || p.Variant == platform.Variant))
                ?? throw new NotFoundException($"{where}: index {chosen.Digest} has no image for {platform}");
        }
        if (!MediaTypes.IsManifest(chosen.MediaType)) throw new InvalidArgumentException($"{where}: {chosen.Digest} is a {chosen.MediaType}, not an image manifest");

        var manifestBytes = await ReadBlobAsync(store, layout, chosen, where, cancellationToken).ConfigureAwait(false);
        var manifest = OciJson.DeserializeManifest(manifestBytes, $"{where}: manifest {chosen.Digest}");
        return await ManifestIngest.RecordAsync(store, chosen, manifestBytes, manifest,
            d => ReadBlobAsync(store, layout, d, where, cancellationToken),
            d => new FileStream(BlobPath(layout, d.Digest, where), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan),
            [], where, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A digest not listed in index.json: the blob's own media type (an index has "manifests").</summary>
    private static async Task<Descriptor?> SniffAsync(ImageStore store, string layout, Digest digest, string where, CancellationToken cancellationToken)
    {
        var path = Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);
        if (!File.Exists(path)) return null;
        var bytes = await ReadDocumentAsync(store, path, where, cancellationToken).ConfigureAwait(false);
        using var doc = System.Text.Json.JsonDocument.Parse(bytes);
        var type = doc.RootElement.TryGetProperty("mediaType", out var m) && m.GetString() is { } t ? t
            : doc.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        return new Descriptor(type, digest, bytes.Length);
    }

    private static async Task<byte[]> ReadBlobAsync(ImageStore store, string layout, Descriptor descriptor, string where, CancellationToken cancellationToken)
    {
        var bytes = await ReadDocumentAsync(store, BlobPath(layout, descriptor.Digest, where), where, cancellationToken).ConfigureAwait(false);
        var actual = Digest.Compute(bytes);
        if (actual != descriptor.Digest || bytes.Length != descriptor.Size) throw new DigestMismatchException(descriptor.Digest, actual, $"{where}: blob {descriptor.Digest}");
        return bytes;
    }

    private static async Task<byte[]> ReadDocumentAsync(ImageStore store, string path, string where, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new NotFoundException($"{where}: {path} not found");
        if (info.Length > store.Options.MaxDocumentBytes) throw new InvalidArgumentException($"{where}: {path} is {info.Length} bytes, too big for an image document");
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static string BlobPath(string layout, Digest digest, string where)
    {
        var path = Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);
        return File.Exists(path) ? path : throw new NotFoundException($"{where}: blob {digest} is missing from {layout}/blobs");
    }
}
