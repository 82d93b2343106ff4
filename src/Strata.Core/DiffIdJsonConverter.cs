using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>Reads and writes a <see cref="DiffId"/> as its digest string.</summary>
public sealed class DiffIdJsonConverter : JsonConverter<DiffId>
{
    public override DiffId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!Digest.TryParse(text, out var digest))
            throw new JsonException($"invalid diff ID \"{text}\"");
        return new DiffId(digest);
    }

    public override void Write(Utf8JsonWriter writer, DiffId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Digest.Value);
    }
}
