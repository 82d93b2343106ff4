using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>A name pointing at an image.</summary>
public sealed record TagRecord(ImageReference Name, Digest ImageId, DateTimeOffset UpdatedAt);
