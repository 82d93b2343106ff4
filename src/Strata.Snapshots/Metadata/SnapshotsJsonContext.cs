using System.Text.Json.Serialization;

namespace Strata.Snapshots.Metadata;

/// <summary>Source-generated JSON for the metadata file (AOT-clean).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotTable))]
internal sealed partial class SnapshotsJsonContext : JsonSerializerContext;
