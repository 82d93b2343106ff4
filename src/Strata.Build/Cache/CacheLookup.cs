using Strata.Images.Metadata;

namespace Strata.Build.Cache;

/// <summary>
/// What looking a key up found: a usable record with its layer (null for a metadata step), or
/// no record and, when there was one that cannot be used, why. <see cref="Unpack"/>: the layer
/// blob is here but its snapshot is not, so the layer is unpacked over the parent.
/// </summary>
internal sealed record CacheLookup(CacheRecord? Record, LayerRecord? Layer, string? Why, bool Unpack)
{
    public static readonly CacheLookup None = new(null, null, null, false);

    public static CacheLookup Unusable(string why) => new(null, null, why, false);
}
