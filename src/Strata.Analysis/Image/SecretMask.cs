namespace Strata.Analysis.Image;

/// <summary>Values are never printed: a few leading characters (enough to tell tokens apart), then stars.</summary>
internal static class SecretMask
{
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        int shown = trimmed.Length >= 16 ? 4 : 0;
        return trimmed[..shown] + new string('*', 8);
    }
}
