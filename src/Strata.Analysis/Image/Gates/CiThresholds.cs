namespace Strata.Analysis.Image.Gates;

/// <summary>
/// The CI gates of <c>analyze --ci</c>; null disables a gate. Names and units follow dive's
/// <c>.dive-ci</c> rules so its users can switch: efficiency and the user-wasted share are
/// ratios (0.2 = 20%).
/// </summary>
public sealed record CiThresholds
{
    /// <summary>Fail when <see cref="ImageAnalysis.Efficiency"/> is lower. dive: <c>lowestEfficiency</c>.</summary>
    public double? LowestEfficiency { get; init; }

    /// <summary>Fail when <see cref="ImageAnalysis.WastedBytes"/> is higher. dive: <c>highestWastedBytes</c>.</summary>
    public long? HighestWastedBytes { get; init; }

    /// <summary>Fail when user wasted bytes / total bytes is higher (a ratio). dive: <c>highestUserWastedPercent</c>.</summary>
    public double? HighestUserWastedPercent { get; init; }

    /// <summary>Secrets fail the gate unless allowed. Default false.</summary>
    public bool AllowSecrets { get; init; }

    /// <summary>
    /// The byte floor of the ratio gates: efficiency and user-wasted share only fail when the
    /// wasted bytes they stand for are at least this many (a 3 kB image at 50% is not worth a
    /// red build). Default 0.
    /// </summary>
    public long MinWastedBytes { get; init; }

    /// <summary>These thresholds with every gate <paramref name="other"/> sets taken from it.</summary>
    public CiThresholds Over(CiThresholds other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CiThresholds
        {
            LowestEfficiency = other.LowestEfficiency ?? LowestEfficiency,
            HighestWastedBytes = other.HighestWastedBytes ?? HighestWastedBytes,
            HighestUserWastedPercent = other.HighestUserWastedPercent ?? HighestUserWastedPercent,
            AllowSecrets = other.AllowSecrets || AllowSecrets,
            MinWastedBytes = other.MinWastedBytes != 0 ? other.MinWastedBytes : MinWastedBytes,
        };
    }
}
