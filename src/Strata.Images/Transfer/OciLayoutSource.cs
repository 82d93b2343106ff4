using System.Text.Json;
using Strata.Content;
using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// An OCI image layout directory as a source (<c>--build-context oci-layout://</c>,
/// <c>--cache-from type=local</c>): index.json's entries are the images, blobs are files under
/// <c>blobs/ALG/HEX</c>, each verified against the descriptor that asks for it. Never writes to
/// the layout.
/// </summary>
public sealed class OciLayoutSource : IImageSource
{
    private readonly string _root;
    private readonly long _maxDocumentBytes;

    /// <param name="root">The layout directory.</param>
    /// <param name="name">What errors name first (the flag).</param>
    public OciLayoutSource(string root, string name, long maxDocumentBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = root;
        Name = name;
        _maxDocumentBytes = maxDocumentBytes;
    }

    public string Name { get; }

    /// <summary>The layout's index.json, checked for ambiguity.</summary>
    public async Task<ImageIndex> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await ReadFileAsync(Path.Combine(_root, "index.json"), cancellationToken).ConfigureAwait(false);
        DocumentKind.Validate(new Descriptor(MediaTypes.OciIndex, Digest.Compute(bytes), bytes.Length), bytes, $"{Name}: index.json");
        return OciJson.DeserializeIndex(bytes, $"{Name}: index.json");
    }

    /// <summary>Every entry of index.json (with its annotations, ref names included), names from the full-name annotation.</summary>
    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        var index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        return [.. index.Manifests.Select(m => new SourceImage(m,
            m.Annotation(StoreAnnotations.ImageName) is { } full && ImageReference.TryParse(full, out var name) ? [name] : []))];
    }

    /// <summary>
    /// A descriptor for a blob index.json does not list (a digest the user named): its own
    /// <c>mediaType</c>, else an index when it has <c>manifests</c>, else a manifest. Null when
    /// the layout has no such blob.
    /// </summary>
    public async Task<Descriptor?> DescribeAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path)) return null;
        var bytes = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(bytes);
        var type = doc.RootElement.TryGetProperty("mediaType", out var m) && m.GetString() is { } t ? t
            : doc.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        return new Descriptor(type, digest, bytes.Length);
    }

    public async Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var bytes = await ReadFileAsync(ExistingBlob(descriptor.Digest), cancellationToken).ConfigureAwait(false);
        var actual = Digest.Compute(bytes);
        if (actual != descriptor.Digest || bytes.Length != descriptor.Size) throw new DigestMismatchException(descriptor.Digest, actual, $"{Name}: blob {descriptor.Digest}");
        return bytes;
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var file = new FileStream(ExistingBlob(descriptor.Digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream>(new VerifyingReadStream(file, descriptor.Digest, descriptor.Size, $"{Name}: blob {descriptor.Digest}"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string BlobPath(Digest digest) => Path.Combine(_root, "blobs", digest.Algorithm, digest.Encoded);

    private string ExistingBlob(Digest digest)
    {
        var path = BlobPath(digest);
        return File.Exists(path) ? path : throw new NotFoundException($"{Name}: blob {digest} is missing from {_root}/blobs");
    }

    private async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new NotFoundException($"{Name}: {path} not found");
        if (info.Length > _maxDocumentBytes) throw new InvalidArgumentException($"{Name}: {path} is {info.Length} bytes, too big for an image document");
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
