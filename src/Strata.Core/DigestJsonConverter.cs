using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>Reads and writes a <see cref="Digest"/> as its string form; bad digests fail the read.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!Digest.TryParse(text, out var digest))
            throw new JsonException($"invalid digest \"{text}\"");
        return digest;
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
