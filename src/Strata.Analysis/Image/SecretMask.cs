namespace Strata.Analysis.Image;

/// <summary>
/// Values are never printed: only a token's public type prefix (<c>ghp_</c>, <c>glpat-</c>,
/// <c>xoxb-</c>, <c>sk_live_</c>: what tells a reader which kind of token to rotate), then stars.
/// </summary>
internal static partial class SecretMask
{
    public const string Stars = "********";

    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return (TokenPrefix().Match(trimmed) is { Success: true } m ? m.Value : "") + Stars;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(?:gh[pousr]_|github_pat_|glpat-|npm_|pypi-|dckr_pat_|xox[baprs]-|[sr]k_live_|AKIA|ASIA)")]
    private static partial System.Text.RegularExpressions.Regex TokenPrefix();
}
