using Strata.Core;

namespace Strata.Images.Archives;

/// <summary>
/// One image <c>strata load</c> brought in, with the names the archive gave it. For a
/// multi-platform image, <see cref="Index"/> is the index the names point at and
/// <see cref="Image"/> its host platform's image (else its first present one).
/// </summary>
public sealed record LoadedImage(StoredImage Image, IReadOnlyList<ImageReference> Names)
{
    public StoredIndex? Index { get; init; }

    /// <summary>What the names point at: the index digest or the image ID.</summary>
    public Digest Id => Index?.Digest ?? Image.Id;
}
