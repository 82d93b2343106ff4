using System.Text.Json.Serialization;

namespace Strata.Build.IntegrationTests.Fixtures;

[JsonSerializable(typeof(string))]
internal sealed partial class ConfigJson : JsonSerializerContext;
