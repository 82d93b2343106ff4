using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// A layer blob the store holds: its stored <see cref="Digest"/>, the <see cref="DiffId"/> of
/// its uncompressed tar, and <see cref="ContentSize"/>, the bytes of file content it adds
/// (what docker shows as a layer's SIZE: regular files and symlink targets, hardlinks once).
/// </summary>
public sealed record LayerRecord(Digest Digest, DiffId DiffId, string MediaType, long Size, long ContentSize);
