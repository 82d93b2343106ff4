using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>One image a copy wrote, with the platform its index (or, for a lone image, its config) gives.</summary>
public sealed record CopiedChild(Descriptor Manifest, Platform? Platform, ImageDocuments Image);
