using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// Which children of an index a copy brings: every one the source holds (<see cref="All"/>,
/// what <c>load</c> keeps), the host's (<see cref="Host"/>, the default of <c>pull</c>), or a
/// list (<c>--platform linux/amd64,linux/arm64</c>). The index itself is always kept as it is.
/// </summary>
public sealed record PlatformSelection
{
    private PlatformSelection(IReadOnlyList<Platform>? platforms) => Platforms = platforms;

    /// <summary>Every platform the source holds.</summary>
    public static PlatformSelection All { get; } = new((IReadOnlyList<Platform>?)null);

    /// <summary>The platform this process runs on.</summary>
    public static PlatformSelection Host { get; } = new([Platform.Host]);

    /// <summary>The platforms asked for; null means all.</summary>
    public IReadOnlyList<Platform>? Platforms { get; }

    public static PlatformSelection Of(IReadOnlyList<Platform> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        if (platforms.Count == 0) throw new InvalidArgumentException("a platform selection needs at least one platform");
        return new PlatformSelection(platforms);
    }

    /// <summary><c>all</c> or a comma-separated list of <c>os/arch[/variant]</c>.</summary>
    public static PlatformSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim() == "all") return All;
        return Of([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Platform.Parse)]);
    }

    /// <summary>
    /// True when an index entry of <paramref name="platform"/> is wanted: an entry without a
    /// platform only by <see cref="All"/>, an <c>unknown/unknown</c> one (BuildKit's attestations)
    /// never, since it is no platform's image.
    /// </summary>
    public bool Wants(Platform? platform) =>
        platform is null ? Platforms is null
            : !IsUnknown(platform) && (Platforms is null || Platforms.Any(p => PlatformMatch.Matches(platform, p)));

    /// <summary>BuildKit's attestation manifests say <c>unknown/unknown</c>: they are not a platform's image.</summary>
    internal static bool IsUnknown(Platform platform) => platform.Os == "unknown" || platform.Architecture == "unknown";

    public override string ToString() => Platforms is null ? "all" : string.Join(",", Platforms);
}
