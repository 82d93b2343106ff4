using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Images.Views;

namespace Strata.Images;

/// <summary>Source-generated JSON for the views the CLI prints (inspect, history).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(IReadOnlyList<ImageInspect>))]
public sealed partial class ImagesJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Docker's inspect style: four-space indent and quotes escaped as <c>\"</c> rather than
    /// <c>\u0022</c>, so scripts that grep or diff docker's output read ours the same way.
    /// </summary>
    public static ImagesJsonContext Docker { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
