using Strata.Core;

namespace Strata.Images.Archives;

/// <summary>One image <c>strata load</c> brought in, with the names the archive gave it.</summary>
public sealed record LoadedImage(StoredImage Image, IReadOnlyList<ImageReference> Names);
