using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;

namespace Strata.Build.Context;

/// <summary>
/// <c>--build-context NAME=oci-layout://PATH[:TAG|@DIGEST]</c>: copies that image from the
/// layout directory (<see cref="OciLayoutSource"/>) into the store (<see cref="StoreSink"/>):
/// manifest and config validated, every blob verified against its digest and size, the layout
/// never written to. The image is recorded untagged, so the build uses it by ID like any
/// <c>docker-image://</c> context. A tag is looked up in index.json's
/// <c>org.opencontainers.image.ref.name</c> annotations; an index picks the build's platform.
/// </summary>
internal static class OciLayoutImporter
{
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
        var source = new OciLayoutSource(layout, where, store.Options.MaxDocumentBytes);
        await using (source.ConfigureAwait(false))
        {
            var index = await source.ReadIndexAsync(cancellationToken).ConfigureAwait(false);
            bool byDigest = Digest.TryParse(reference, out var wanted);
            Descriptor? chosen = byDigest
                ? index.Manifests.FirstOrDefault(m => m.Digest == wanted) ?? await source.DescribeAsync(wanted, cancellationToken).ConfigureAwait(false)
                : index.Manifests.FirstOrDefault(m => m.Annotation(StoreAnnotations.RefName) == reference);
            if (chosen is null) throw new NotFoundException($"{where}: the layout at {layout} has no image {(byDigest ? "" : "tagged ")}{reference}");
            if (!MediaTypes.IsIndex(chosen.MediaType) && !MediaTypes.IsManifest(chosen.MediaType))
                throw new InvalidArgumentException($"{where}: {chosen.Digest} is a {chosen.MediaType}, not an image manifest");
            var manifest = await ImageCopier.ResolveAsync(source, chosen, platform, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"{where}: index {chosen.Digest} has no image for {platform}");

            var sink = new StoreSink(store, where);
            await using (sink.ConfigureAwait(false))
            {
                await ImageCopier.CopyAsync(source, manifest, [], sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return sink.Images[^1];
            }
        }
    }
}
