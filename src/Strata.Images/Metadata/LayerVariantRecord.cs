using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// A compressed variant of a stored uncompressed layer, made once on export and kept in the
/// store: <see cref="Digest"/> is the uncompressed layer's blob (its diff ID), <see cref="Variant"/>
/// the compressed blob, <see cref="MediaType"/> its layer media type and <see cref="Level"/> the
/// compression level that made it.
/// </summary>
public sealed record LayerVariantRecord(Digest Digest, string MediaType, int Level, Digest Variant, long Size);
