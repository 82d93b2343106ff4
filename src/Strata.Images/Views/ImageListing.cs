using Strata.Core;

namespace Strata.Images.Views;

/// <summary>
/// One row-group of <c>images</c>: an image, or a multi-platform image (an index) shown as docker
/// 25+ with the containerd image store shows it: one row per name, the index digest as IMAGE ID
/// (what the name points at, and what <c>rmi</c>, <c>save</c> and <c>inspect</c> take), CREATED of
/// the host platform's image (else the first present one), SIZE the content of every present
/// platform (layers shared between platforms counted once). Children of an index are reached
/// through it and get no row of their own unless a name points at them.
/// </summary>
public sealed record ImageListing(Digest Id, Digest Digest, IReadOnlyList<ImageReference> Tags, DateTimeOffset? Created, DateTimeOffset AddedAt, long Size, IReadOnlyList<ListedPlatform> Platforms)
{
    /// <summary>True for a multi-platform image.</summary>
    public bool IsIndex => Platforms.Count > 0;

    /// <summary>The listing, newest first as <c>docker images</c> orders it.</summary>
    public static List<ImageListing> Of(IReadOnlyList<StoredImage> images, IReadOnlyList<StoredIndex> indexes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(indexes);
        var byId = images.ToDictionary(i => i.Id);
        var children = indexes.SelectMany(i => i.Children).Select(c => c.Manifest.Digest).ToHashSet();
        var rows = images.Where(i => i.Tags.Count > 0 || !children.Contains(i.Record.ManifestDigest))
            .Select(i => new ImageListing(i.Id, i.Record.ManifestDigest, i.Tags, i.Config.Created, i.Record.AddedAt, i.Record.Size, [])).ToList();
        foreach (var index in indexes)
        {
            var platforms = index.Children.Where(c => c.Platform is null || !Transfer.PlatformSelection.IsUnknown(c.Platform)).Select(c =>
            {
                var image = c.ImageId is { } id && byId.TryGetValue(id, out var found) ? found : null;
                return new ListedPlatform(c.Platform, c.Manifest.Digest, image?.Id, image?.Record.Size ?? 0, image?.Config.Created);
            }).ToList();
            var shown = index.Find(Platform.Host) ?? index.Present.FirstOrDefault();
            var created = platforms.FirstOrDefault(p => p.Manifest == shown?.Manifest.Digest)?.Created;
            long size = index.Present.Select(c => c.ImageId is { } id && byId.TryGetValue(id, out var i) ? i : null).OfType<StoredImage>()
                .SelectMany(i => i.Layers).DistinctBy(l => l.Digest).Sum(l => l.ContentSize);
            rows.Add(new ImageListing(index.Digest, index.Digest, index.Tags, created, index.Record.AddedAt, size, platforms));
        }
        return [.. rows.OrderByDescending(r => r.Created ?? r.AddedAt).ThenBy(r => r.Id)];
    }
}
