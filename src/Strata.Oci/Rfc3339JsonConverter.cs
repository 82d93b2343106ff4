using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>
/// Timestamps as Go's <c>time.RFC3339Nano</c>: readers must accept up to 9 fractional digits
/// (docker writes nanoseconds, .NET keeps 100 ns ticks, so the last two digits are dropped);
/// writers emit UTC with <c>Z</c> and trailing zeros trimmed, as Go does, so an image built
/// twice with the same <c>SOURCE_DATE_EPOCH</c> has byte-identical configs.
/// </summary>
public sealed class Rfc3339JsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !TryParse(text, out var value))
            throw new JsonException($"invalid RFC 3339 timestamp \"{text}\"");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    /// <summary>Go's RFC3339Nano form of <paramref name="value"/>, in UTC.</summary>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    /// <summary>Parses RFC 3339 with up to 9 fractional digits (extra digits beyond 7 are dropped).</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Cut fractional seconds beyond 7 digits: .NET cannot represent them and refuses to parse them.
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ssK",
        "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];
}
