using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>How an index entry's platform is matched against the one asked for.</summary>
public static class PlatformMatch
{
    /// <summary>
    /// Same OS and architecture; variants must agree when both give one (an arm64 entry without
    /// a variant serves a host that says v8, as containerd's default matcher does).
    /// </summary>
    public static bool Matches(Platform? entry, Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return entry is not null && entry.Os == wanted.Os && entry.Architecture == wanted.Architecture
            && (entry.Variant is null || wanted.Variant is null || entry.Variant == wanted.Variant);
    }
}
