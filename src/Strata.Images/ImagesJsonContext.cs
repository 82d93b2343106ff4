using System.Text.Json.Serialization;
using Strata.Images.Views;

namespace Strata.Images;

/// <summary>Source-generated JSON for the views the CLI prints (inspect, df, history).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(IReadOnlyList<ImageInspect>))]
[JsonSerializable(typeof(DiskUsageReport))]
public sealed partial class ImagesJsonContext : JsonSerializerContext;
