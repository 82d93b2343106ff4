using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>One image a source offers: its root descriptor (manifest or index) and the names it carries.</summary>
public sealed record SourceImage(Descriptor Root, IReadOnlyList<ImageReference> Names);
