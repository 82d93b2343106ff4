using Strata.Content;
using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// Images of the store as a source (save, <c>--output</c>, cache export): the images the caller
/// picked, under the names it asked for. Blobs come from the content store, whose streams check
/// their digest at their end; this adds the descriptor's size.
/// </summary>
public sealed class StoreSource : IImageSource
{
    private readonly ImageStore _store;
    private readonly IReadOnlyList<SourceImage> _images;

    /// <param name="images">What <see cref="ListAsync"/> offers (may be empty when only blobs are read).</param>
    public StoreSource(ImageStore store, IReadOnlyList<SourceImage> images, string name = "store")
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(images);
        _store = store;
        _images = images;
        Name = name;
    }

    public string Name { get; }

    /// <summary>One entry per stored image, with the names asked for it (a name asked twice counts once).</summary>
    public static StoreSource ForImages(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, string name = "store")
    {
        ArgumentNullException.ThrowIfNull(requests);
        var images = requests.GroupBy(r => r.Image.Id)
            .Select(g => new SourceImage(g.First().Image.ManifestDescriptor, [.. g.Select(r => r.Name).OfType<ImageReference>().Distinct()]))
            .ToList();
        return new StoreSource(store, images, name);
    }

    public Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(_images);

    public async Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var bytes = await _store.Content.ReadAllBytesAsync(descriptor.Digest, _store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != descriptor.Size)
            throw new DigestMismatchException($"{Name}: blob {descriptor.Digest} is {bytes.Length} bytes, its descriptor says {descriptor.Size}");
        return bytes;
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        StoreBlobs.OpenAsync(_store, descriptor, Name, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
