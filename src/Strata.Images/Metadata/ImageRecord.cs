using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// An image the store holds. <see cref="Id"/> is the config digest (docker's image ID);
/// <see cref="Size"/> is the sum of its layers' content sizes, as docker reports it.
/// </summary>
public sealed record ImageRecord(
    Digest Id,
    Digest ManifestDigest,
    string ManifestMediaType,
    long ManifestSize,
    DateTimeOffset? Created,
    long Size,
    DateTimeOffset AddedAt);
