using Strata.Core;

namespace Strata.Archive;

/// <summary>
/// What reading a whole layer tells: the diff ID (sha256 of the uncompressed tar), its
/// uncompressed length, the entry count, and the content size docker reports as the layer's
/// SIZE (regular file bytes and symlink target lengths; hard links count nothing).
/// </summary>
public sealed record LayerMeasurement(DiffId DiffId, long UncompressedSize, long Entries, long ContentSize);
