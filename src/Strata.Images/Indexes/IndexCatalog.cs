using Strata.Core;
using Strata.Images.Metadata;
using Strata.Images.Transfer;

namespace Strata.Images.Indexes;

/// <summary>
/// The store's image indexes (<see cref="IndexTables"/>): recording one a sink brought, finding
/// one by name, digest or ID prefix, and listing them. The images of present children are
/// ordinary images; an index only adds a name over them and the platforms they stand for.
/// </summary>
public sealed class IndexCatalog
{
    private readonly ImageStore _store;

    internal IndexCatalog(ImageStore store) => _store = store;

    /// <summary>
    /// Records the index (its blob must be stored) and points <paramref name="names"/> at it. Its
    /// children are recorded whether present or not; presence follows the images table.
    /// </summary>
    public async Task<StoredIndex> RecordAsync(IndexDocument index, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(names);
        var record = new IndexRecord(index.Descriptor.Digest, index.Descriptor.MediaType, index.Descriptor.Size, _store.Now);
        await _store.Metadata.WriteAsync(async (c, ct) =>
        {
            // As for images: a collector that ran while nothing held the blob shows up here.
            if (await _store.Content.InfoAsync(record.Digest, ct).ConfigureAwait(false) is null)
                throw new NotFoundException($"index {record.Digest} was removed before it was recorded");
            await IndexTables.PutIndexAsync(c, record, index.Children, ct).ConfigureAwait(false);
            foreach (var name in names) await IndexTables.PutTagAsync(c, name, record.Digest, _store.Now, ct).ConfigureAwait(false);
            await _store.WriteIndexAsync(c, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await ListAsync(cancellationToken).ConfigureAwait(false)).First(i => i.Digest == record.Digest);
    }

    /// <summary>Every index with its children and names, in digest order.</summary>
    public Task<List<StoredIndex>> ListAsync(CancellationToken cancellationToken) =>
        _store.Metadata.ReadAsync(async (c, ct) =>
        {
            var records = await IndexTables.ListAsync(c, ct).ConfigureAwait(false);
            var children = await IndexTables.ChildrenAsync(c, ct).ConfigureAwait(false);
            var tags = await IndexTables.TagsAsync(c, ct).ConfigureAwait(false);
            return records.Select(r => new StoredIndex(r, children.TryGetValue(r.Digest, out var list) ? list : [],
                [.. tags.Where(t => t.Index == r.Digest).Select(t => t.Name)])).ToList();
        }, cancellationToken);

    /// <summary>
    /// The index <paramref name="nameOrId"/> names, as docker's containerd store resolves it: a
    /// name, <c>name@digest</c>, the index digest, or a unique prefix of it. Null when it names
    /// no index (it may name an image).
    /// </summary>
    public async Task<StoredIndex?> TryFindAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var indexes = await ListAsync(cancellationToken).ConfigureAwait(false);
        if (indexes.Count == 0) return null;
        if (Digest.TryParse(nameOrId, out var full) && full.IsRegistered) return indexes.FirstOrDefault(i => i.Digest == full);
        if (ImageReference.TryParse(nameOrId, out var reference))
        {
            var hit = reference.Digest is { } pinned ? indexes.FirstOrDefault(i => i.Digest == pinned) : indexes.FirstOrDefault(i => i.Tags.Contains(reference));
            if (hit is not null) return hit;
            // A name that is an image's tag is not an ID prefix, even when it is made of hex digits.
            if (await _store.Metadata.FindTagAsync(reference, cancellationToken).ConfigureAwait(false) is not null) return null;
        }
        var hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        if (hex.Length is > 0 and <= 64 && hex.All(char.IsAsciiHexDigitLower))
        {
            var matches = indexes.Where(i => i.Digest.Encoded.StartsWith(hex, StringComparison.Ordinal)).ToList();
            if (matches.Count > 1) throw new InvalidArgumentException($"image ID prefix \"{nameOrId}\" is ambiguous: it matches {matches.Count} images");
            if (matches.Count == 1) return matches[0];
        }
        return null;
    }

    /// <summary>Manifest digests that some index lists (their images are reached through it, not dangling).</summary>
    public async Task<HashSet<Digest>> ChildManifestsAsync(CancellationToken cancellationToken) =>
        [.. (await ListAsync(cancellationToken).ConfigureAwait(false)).SelectMany(i => i.Children).Select(c => c.Manifest.Digest)];
}
