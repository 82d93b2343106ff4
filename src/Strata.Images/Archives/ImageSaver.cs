using System.Text.Json;
using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata save</c>: the archive Docker 25+ writes. It is at once an OCI image layout
/// (oci-layout, index.json, blobs/sha256/...) that OCI tools read, and a docker-archive
/// (manifest.json, repositories) that <c>docker load</c> of any version reads. Blobs are
/// streamed from the store as stored, so save -> load keeps every digest.
/// </summary>
public static class ImageSaver
{
    /// <param name="requests">What the user named: each resolved image and the name it was asked by (null for an ID).</param>
    public static async Task SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(requests);
        var images = requests.GroupBy(r => r.Image.Id).Select(g => (Image: g.First().Image, Names: g.Select(r => r.Name).OfType<ImageReference>().Distinct().ToList())).ToList();
        var mtime = images.Select(i => i.Image.Config.Created ?? DateTimeOffset.UnixEpoch).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        var tar = new TarStreamWriter(output, mtime);
        await tar.WriteDirectoryAsync("blobs", cancellationToken).ConfigureAwait(false);
        await tar.WriteDirectoryAsync("blobs/sha256", cancellationToken).ConfigureAwait(false);

        var written = new HashSet<Digest>();
        var indexEntries = new List<Descriptor>();
        var manifestEntries = new List<DockerArchiveManifestEntry>();
        var repositories = new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (image, names) in images)
        {
            var manifestDescriptor = new Descriptor(image.Record.ManifestMediaType, image.Record.ManifestDigest, image.Record.ManifestSize);
            var blobs = new List<Descriptor> { manifestDescriptor, image.Manifest.Config };
            blobs.AddRange(image.Manifest.Layers);
            foreach (var blob in blobs)
            {
                if (!written.Add(blob.Digest)) continue;
                await using var data = await store.Content.OpenReadAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
                await tar.WriteFileAsync(BlobPath(blob.Digest), data, blob.Size, cancellationToken).ConfigureAwait(false);
            }

            if (names.Count == 0) indexEntries.Add(manifestDescriptor);
            foreach (var name in names)
            {
                indexEntries.Add(manifestDescriptor with
                {
                    Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        [StoreAnnotations.ImageName] = name.ToString(),
                        [StoreAnnotations.RefName] = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag,
                    },
                });
            }
            manifestEntries.Add(new DockerArchiveManifestEntry(BlobPath(image.Manifest.Config.Digest), [.. image.Manifest.Layers.Select(l => BlobPath(l.Digest))])
            {
                RepoTags = [.. names.Where(n => n.Tag is not null).Select(n => n.Familiar)],
            });
            foreach (var name in names.Where(n => n.Tag is not null))
            {
                var top = image.Manifest.Layers.Count > 0 ? image.Manifest.Layers[^1].Digest.Encoded : image.Id.Encoded;
                var tags = repositories.TryGetValue(name.FamiliarRepository, out var existing)
                    ? new SortedDictionary<string, string>(existing.ToDictionary(), StringComparer.Ordinal)
                    : new SortedDictionary<string, string>(StringComparer.Ordinal);
                tags[name.Tag!] = top;
                repositories[name.FamiliarRepository] = tags;
            }
        }

        await tar.WriteFileAsync("index.json", OciJson.Serialize(new ImageIndex(indexEntries) { MediaType = MediaTypes.OciIndex }), cancellationToken).ConfigureAwait(false);
        await tar.WriteFileAsync("manifest.json", OciJson.Serialize(manifestEntries), cancellationToken).ConfigureAwait(false);
        await tar.WriteFileAsync("oci-layout", OciJson.Serialize(new OciLayoutHeader(OciLayoutHeader.CurrentVersion)), cancellationToken).ConfigureAwait(false);
        if (repositories.Count > 0)
        {
            var repos = repositories.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            await tar.WriteFileAsync("repositories", OciJson.SerializeRepositories(repos), cancellationToken).ConfigureAwait(false);
        }
        await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";
}
