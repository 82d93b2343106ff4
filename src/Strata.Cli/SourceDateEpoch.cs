using System.Globalization;
using Strata.Core;

namespace Strata.Cli;

/// <summary>Reads SOURCE_DATE_EPOCH (seconds since 1970) from the environment; libraries get it passed in.</summary>
internal static class SourceDateEpoch
{
    public static DateTimeOffset? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrEmpty(text)) return null;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            throw new InvalidArgumentException($"SOURCE_DATE_EPOCH \"{text}\" is not a number of seconds");
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
