using Strata.Core;
using Strata.Images.Metadata;

namespace Strata.Images;

/// <summary>
/// A read-only view of one image index in the store: its record, the manifests it lists with
/// their platforms (present ones name their image), and the names pointing at it. Docker's
/// containerd store is the model: a name stands for the index, a platform picks the image.
/// </summary>
public sealed record StoredIndex(IndexRecord Record, IReadOnlyList<IndexChildRecord> Children, IReadOnlyList<ImageReference> Tags)
{
    public Digest Digest => Record.Digest;

    /// <summary>The children the store holds, in index order.</summary>
    public IEnumerable<IndexChildRecord> Present => Children.Where(c => c.Present);

    /// <summary>The present child for <paramref name="platform"/>, or null.</summary>
    public IndexChildRecord? Find(Platform platform) => Present.FirstOrDefault(c => Transfer.PlatformMatch.Matches(c.Platform, platform));

    /// <summary>The image ID of the child for <paramref name="platform"/>.</summary>
    /// <param name="asked">The reference the user gave, for the error.</param>
    /// <exception cref="NotFoundException">No child of that platform is present, in one line naming the reference, the platform and what is present.</exception>
    public Digest ImageIdFor(Platform platform, string asked)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (Find(platform)?.ImageId is { } id) return id;
        var present = string.Join(", ", Present.Select(c => c.Platform?.ToString() ?? "no platform"));
        throw new NotFoundException($"image {asked} has no {platform} platform present (present: {(present.Length == 0 ? "none" : present)})");
    }

    /// <summary>Platforms present, then the ones only listed, each as <c>os/arch[/variant]</c>.</summary>
    public string PlatformsText(bool present) =>
        string.Join(",", Children.Where(c => c.Present == present && c.Platform is not null && !Transfer.PlatformSelection.IsUnknown(c.Platform)).Select(c => c.Platform!.ToString()).Distinct());
}
