using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Containers;

/// <summary>
/// <see cref="ContainerStatus"/> in <c>container.json</c> as the same word it was before the enum
/// existed (<c>"running"</c>), so state files written by an older strata still load.
/// </summary>
internal sealed class ContainerStatusJsonConverter : JsonConverter<ContainerStatus>
{
    public override ContainerStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ContainerStatusText.TryParse(text, out var status) ? status : throw new JsonException($"unknown container status \"{text}\"");
    }

    public override void Write(Utf8JsonWriter writer, ContainerStatus value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToText());
    }
}
