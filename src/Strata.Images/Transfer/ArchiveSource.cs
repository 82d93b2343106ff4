using Strata.Archive;
using Strata.Content;
using Strata.Core;
using Strata.Images.Archives;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// An image archive as a source (load): a legacy docker-archive (Docker 24 and older:
/// manifest.json, &lt;id&gt;.json, &lt;id&gt;/layer.tar), the Docker 25+ combined archive, or a
/// plain OCI layout archive; plain or gzip/zstd-compressed, from a file or a pipe. Members are
/// found through a tar index, so they can be read out of order.
/// <para>
/// A legacy archive has no manifest: one is made as the store would make it (OCI media types,
/// layer types sniffed from their first bytes), which needs each layer's digest up front, so its
/// layers are read twice (hashed here, copied by the sink). A 25+ archive's OCI manifests are
/// used as they are, so digests survive.
/// </para>
/// </summary>
public sealed class ArchiveSource : IImageSource
{
    private readonly TarIndex _archive;
    private readonly string? _spool;
    private readonly long _maxDocumentBytes;
    // Documents made for legacy images, and blobs whose member is not blobs/ALG/HEX.
    private readonly Dictionary<Digest, byte[]> _made = [];
    private readonly Dictionary<Digest, string> _members = [];

    private ArchiveSource(TarIndex archive, string? spool, string name, long maxDocumentBytes)
    {
        _archive = archive;
        _spool = spool;
        Name = name;
        _maxDocumentBytes = maxDocumentBytes;
    }

    public string Name { get; }

    /// <summary>True when the archive holds manifest.json (a docker-archive, legacy or 25+).</summary>
    public bool IsDockerArchive => _archive.Contains("manifest.json");

    /// <summary>Indexes the archive; a pipe or a compressed archive is first decompressed into <paramref name="scratchDirectory"/>.</summary>
    /// <param name="name">What errors name (the file, <c>stdin</c>).</param>
    public static Task<ArchiveSource> OpenAsync(Stream input, string name, string scratchDirectory, long maxDocumentBytes, CancellationToken cancellationToken) =>
        OpenAsync(input, name, scratchDirectory, maxDocumentBytes, null, cancellationToken);

    /// <param name="progress">Told the bytes of <paramref name="input"/> read while it is spooled (item <paramref name="name"/>, of its length when it has one).</param>
    public static async Task<ArchiveSource> OpenAsync(Stream input, string name, string scratchDirectory, long maxDocumentBytes, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
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
                // The members must be read out of order (manifest.json usually comes last).
                Directory.CreateDirectory(scratchDirectory);
                spool = Path.Combine(scratchDirectory, $"load-{Guid.NewGuid():N}.tar");
                var counted = progress is null ? input : CountingReadStream.Reporting(input, progress, name, input.CanSeek ? input.Length - input.Position : null);
                var plain = LayerCompressionDetector.OpenDecompressed(counted);
                await using (plain.ConfigureAwait(false))
                {
                    var target = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await using (target.ConfigureAwait(false))
                        await plain.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                }
                path = spool;
            }
            var archive = await TarIndex.BuildAsync(path, name, cancellationToken).ConfigureAwait(false);
            if (!archive.Contains("manifest.json") && !archive.Contains("index.json"))
            {
                archive.Dispose();
                throw new InvalidArgumentException($"{name}: not an image archive (no manifest.json or index.json)");
            }
            var source = new ArchiveSource(archive, spool, name, maxDocumentBytes);
            spool = null;
            return source;
        }
        finally
        {
            if (spool is not null) File.Delete(spool);
        }
    }

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken) =>
        IsDockerArchive
            ? await ListDockerArchiveAsync(cancellationToken).ConfigureAwait(false)
            : await ListLayoutAsync(cancellationToken).ConfigureAwait(false);

    public async Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_made.TryGetValue(descriptor.Digest, out var made)) return made;
        var bytes = await _archive.ReadAllAsync(MemberOf(descriptor.Digest), _maxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var actual = Digest.Compute(bytes);
        if (actual != descriptor.Digest) throw new DigestMismatchException(descriptor.Digest, actual, $"{Name}: blob");
        if (bytes.Length != descriptor.Size) throw new DigestMismatchException($"{Name}: blob {descriptor.Digest} is {bytes.Length} bytes, its descriptor says {descriptor.Size}");
        return bytes;
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Task.FromResult<Stream>(new VerifyingReadStream(_archive.Open(MemberOf(descriptor.Digest)), descriptor.Digest, descriptor.Size, $"{Name}: {MemberOf(descriptor.Digest)}"));
    }

    public ValueTask DisposeAsync()
    {
        _archive.Dispose();
        if (_spool is not null) File.Delete(_spool);
        return ValueTask.CompletedTask;
    }

    private string MemberOf(Digest digest) => _members.TryGetValue(digest, out var member) ? member : ImageSaver.BlobPath(digest);

    /// <summary>index.json's entries, each once, with the full names their annotations give.</summary>
    private async Task<IReadOnlyList<SourceImage>> ListLayoutAsync(CancellationToken cancellationToken)
    {
        var index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        return [.. index.Manifests.GroupBy(m => m.Digest).Select(g => new SourceImage(g.First(), [.. g.Select(NameFromAnnotations).OfType<ImageReference>().Distinct()]))];
    }

    private async Task<ImageIndex> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await _archive.ReadAllAsync("index.json", _maxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var descriptor = new Descriptor(MediaTypes.OciIndex, Digest.Compute(bytes), bytes.Length);
        DocumentKind.Validate(descriptor, bytes, $"{Name}: index.json");
        return OciJson.DeserializeIndex(bytes, $"{Name}: index.json");
    }

    private async Task<IReadOnlyList<SourceImage>> ListDockerArchiveAsync(CancellationToken cancellationToken)
    {
        var manifestBytes = await _archive.ReadAllAsync("manifest.json", _maxDocumentBytes, cancellationToken).ConfigureAwait(false);
        var entries = OciJson.DeserializeDockerArchiveManifest(manifestBytes, $"{Name}: manifest.json");
        if (entries is null || entries.Count == 0) throw new InvalidArgumentException($"{Name}: manifest.json lists no images");
        // Docker 25+ archives are also OCI layouts: reuse their manifests so digests survive.
        var oci = _archive.Contains("index.json") ? await TryReadManifestsAsync(cancellationToken).ConfigureAwait(false) : [];

        var images = new List<SourceImage>();
        foreach (var entry in entries)
        {
            if (entry?.Config is null || entry.Layers is null) throw new InvalidArgumentException($"{Name}: manifest.json has an entry without Config or Layers");
            var configBytes = await _archive.ReadAllAsync(entry.Config, _maxDocumentBytes, cancellationToken).ConfigureAwait(false);
            var configDigest = Digest.Compute(configBytes);
            if (DigestFromPath(entry.Config) is { } named && named != configDigest) throw new DigestMismatchException(named, configDigest, $"{Name}: {entry.Config}");
            var config = OciJson.DeserializeConfig(configBytes, $"{Name}: {entry.Config}");
            var diffIds = config.RootFs?.DiffIds ?? [];
            if (diffIds.Count != entry.Layers.Count)
                throw new InvalidArgumentException($"{Name}: config {entry.Config} lists {diffIds.Count} diff IDs but manifest.json lists {entry.Layers.Count} layers");
            var names = (entry.RepoTags ?? []).Select(ParseName).ToList();
            var known = oci.FirstOrDefault(m => m.Manifest.Config.Digest == configDigest);
            if (known is not null)
            {
                // A multi-platform image (docker 25+ with the containerd store) is its index: keep it whole.
                images.Add(new SourceImage(MediaTypes.IsIndex(known.Root.MediaType) ? known.Root : known.Descriptor, names));
                continue;
            }
            images.Add(new SourceImage(await MakeManifestAsync(entry, configBytes, configDigest, cancellationToken).ConfigureAwait(false), names));
        }
        return images;
    }

    /// <summary>The manifest the store would write for a legacy image (see <see cref="ImageStore.CommitImageAsync(ImageConfig, ReadOnlyMemory{byte}, IReadOnlyList{Metadata.LayerRecord}, IReadOnlyList{ImageReference}, CancellationToken)"/>).</summary>
    private async Task<Descriptor> MakeManifestAsync(DockerArchiveManifestEntry entry, byte[] configBytes, Digest configDigest, CancellationToken cancellationToken)
    {
        var layers = new List<Descriptor>();
        foreach (var member in entry.Layers!)
        {
            var data = _archive.Open(member);
            await using (data.ConfigureAwait(false))
            {
                var mediaType = await SniffLayerMediaTypeAsync(data, cancellationToken).ConfigureAwait(false);
                data.Position = 0;
                var digest = await HashAsync(data, cancellationToken).ConfigureAwait(false);
                if (DigestFromPath(member) is { } named && named != digest) throw new DigestMismatchException(named, digest, $"{Name}: {member}");
                _members[digest] = member;
                layers.Add(new Descriptor(mediaType, digest, data.Length));
            }
        }
        _members[configDigest] = entry.Config!;
        var manifest = new ImageManifest(new Descriptor(MediaTypes.OciConfig, configDigest, configBytes.Length), layers) { MediaType = MediaTypes.OciManifest };
        var bytes = OciJson.Serialize(manifest);
        var descriptor = new Descriptor(MediaTypes.OciManifest, Digest.Compute(bytes), bytes.Length);
        _made[descriptor.Digest] = bytes;
        return descriptor;
    }

    private sealed record OciManifest(Descriptor Descriptor, ImageManifest Manifest, Descriptor Root);

    /// <summary>
    /// The OCI side of a docker-archive is a bonus: docker load ignores it, and some writers
    /// leave it empty (<c>"manifests": null</c>), so an unreadable one is not an error here.
    /// An ambiguous manifest is, though: it is refused wherever it is found.
    /// </summary>
    private async Task<List<OciManifest>> TryReadManifestsAsync(CancellationToken cancellationToken)
    {
        ImageIndex index;
        try
        {
            index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidArgumentException)
        {
            return [];
        }
        var result = new List<OciManifest>();
        foreach (var root in index.Manifests ?? [])
        {
            // An index's children are matched one by one: the archive may hold any of them (docker
            // save --platform writes the whole index and one platform's image).
            IEnumerable<Descriptor> candidates = [root];
            if (MediaTypes.IsIndex(root.MediaType))
            {
                try
                {
                    candidates = IndexDocument.Parse(root, await ReadDocumentAsync(root, cancellationToken).ConfigureAwait(false), Name).Children;
                }
                catch (NotFoundException)
                {
                    continue;
                }
            }
            foreach (var manifest in candidates.Where(c => MediaTypes.IsManifest(c.MediaType)))
            {
                byte[] bytes;
                try
                {
                    bytes = await ReadDocumentAsync(manifest, cancellationToken).ConfigureAwait(false);
                }
                catch (NotFoundException)
                {
                    continue;
                }
                DocumentKind.Validate(manifest, bytes, Name);
                try
                {
                    result.Add(new OciManifest(manifest, OciJson.DeserializeManifest(bytes, $"{Name}: manifest {manifest.Digest}"), root));
                }
                catch (InvalidArgumentException)
                {
                    // Unreadable: the docker side of the archive describes the image instead.
                }
            }
        }
        return result;
    }

    private static ImageReference? NameFromAnnotations(Descriptor descriptor)
    {
        if (descriptor.Annotation(StoreAnnotations.ImageName) is { } full && ImageReference.TryParse(full, out var r1)) return r1;
        // A bare ref.name ("latest") names no repository; only a full name is usable.
        if (descriptor.Annotation(StoreAnnotations.RefName) is { } refName && (refName.Contains(':', StringComparison.Ordinal) || refName.Contains('/', StringComparison.Ordinal))
            && ImageReference.TryParse(refName, out var r2)) return r2;
        return null;
    }

    private ImageReference ParseName(string tag)
    {
        if (!ImageReference.TryParse(tag, out var reference)) throw new InvalidArgumentException($"{Name}: invalid RepoTag \"{tag}\"");
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

    private static async Task<Digest> HashAsync(Stream data, CancellationToken cancellationToken)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, n);
        return Digest.FromSha256Bytes(hash.GetHashAndReset());
    }

    private static async Task<bool> IsCompressedAsync(FileStream file, CancellationToken cancellationToken)
    {
        var magic = new byte[4];
        long start = file.Position;
        int n = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = start;
        return LayerCompressionDetector.Detect(magic.AsSpan(0, n)) != LayerCompression.None;
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
