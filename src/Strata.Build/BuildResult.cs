using Strata.Images;

namespace Strata.Build;

/// <summary>
/// The image a build produced and how many steps ran. A multi-platform build also gives its
/// <see cref="Index"/> (what its tags name) and one image per platform, in <c>--platform</c>
/// order; <see cref="Image"/> is then the first platform's.
/// </summary>
public sealed record BuildResult(StoredImage Image, int StepsRun, int LayersCreated)
{
    /// <summary>The image index of a multi-platform build, or null for a build of one platform.</summary>
    public StoredIndex? Index { get; init; }

    /// <summary>The per-platform images of a multi-platform build (the index's children), else just <see cref="Image"/>.</summary>
    public IReadOnlyList<StoredImage> Images { get; init; } = [];
}
