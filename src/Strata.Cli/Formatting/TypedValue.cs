using System.Text.Json.Nodes;

namespace Strata.Cli.Formatting;

/// <summary>A piece of template data with its Go type: <paramref name="Node"/> is null where Go holds nil or the field is absent from the JSON.</summary>
internal sealed record TypedValue(JsonNode? Node, GoShape Shape);
