using System.Text;
using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// A build step's cache key: a pure function of its parent's key, its expanded instruction, the
/// args and env it can see, the platform and the checksums of the files it reads.
/// </summary>
public readonly record struct CacheKey(Digest Value)
{
    /// <summary>The key of a canonical text (UTF-8, sha256).</summary>
    public static CacheKey Of(string canonical) => new(Digest.Compute(Encoding.UTF8.GetBytes(canonical)));

    public override string ToString() => Value.ToString();
}
