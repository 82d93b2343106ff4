namespace Strata.Analysis.Image;

/// <summary>
/// Values are never printed: only a token's public type prefix (<c>ghp_</c>, <c>glpat-</c>,
/// <c>xoxb-</c>, <c>sk_live_</c>: what tells a reader which kind of token to rotate), then stars.
/// </summary>
internal static class SecretMask
{
    public const string Stars = "********";

    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        int end = trimmed.Length >= 16 ? trimmed.AsSpan(0, Math.Min(12, trimmed.Length)).LastIndexOfAny('_', '-') : -1;
        return (end > 0 ? trimmed[..(end + 1)] : "") + Stars;
    }
}
