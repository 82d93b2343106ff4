using System.Text;
using System.Text.Json;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// Compares the fields of two <c>inspect</c> documents' <c>Config</c> that an image's user
/// sees. null, a missing field, "", [] and {} all mean "not set" (docker prints null where
/// strata omits the field); objects compare with sorted keys.
/// </summary>
internal static class ConfigDiff
{
    public static readonly string[] Fields =
        ["Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Volumes", "Labels", "StopSignal", "Healthcheck", "Shell", "OnBuild"];

    public static IReadOnlyList<string> Compare(string expectedInspect, string actualInspect, string expectedName = "buildkit", string actualName = "strata")
    {
        using var e = JsonDocument.Parse(expectedInspect);
        using var a = JsonDocument.Parse(actualInspect);
        var ec = ConfigOf(e.RootElement);
        var ac = ConfigOf(a.RootElement);
        var lines = new List<string>();
        foreach (var field in Fields)
        {
            var x = Canonical(ec, field);
            var y = Canonical(ac, field);
            if (x != y) lines.Add($"Config.{field}: {expectedName}={x} {actualName}={y}");
        }
        return lines;
    }

    /// <summary>The image's platform fields (top level of inspect, beside Config).</summary>
    public static IReadOnlyList<string> ComparePlatform(string expectedInspect, string actualInspect, string expectedName = "buildkit", string actualName = "strata")
    {
        using var e = JsonDocument.Parse(expectedInspect);
        using var a = JsonDocument.Parse(actualInspect);
        var lines = new List<string>();
        foreach (var field in new[] { "Architecture", "Os", "Variant" })
        {
            var x = TopLevel(e.RootElement, field);
            var y = TopLevel(a.RootElement, field);
            if (x != y) lines.Add($"{field}: {expectedName}={x} {actualName}={y}");
        }
        return lines;
    }

    private static string TopLevel(JsonElement inspect, string field)
    {
        var image = inspect.ValueKind == JsonValueKind.Array ? inspect[0] : inspect;
        return image.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : "unset";
    }

    public static JsonElement? ConfigOf(JsonElement inspect)
    {
        var image = inspect.ValueKind == JsonValueKind.Array ? inspect[0] : inspect;
        return image.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.Object ? c : null;
    }

    public static string Canonical(JsonElement? config, string field)
    {
        if (config is not { } c || !c.TryGetProperty(field, out var v)) return "unset";
        var sb = new StringBuilder();
        Write(v, sb);
        var s = sb.ToString();
        return s is "null" or "\"\"" or "[]" or "{}" ? "unset" : s;
    }

    private static void Write(JsonElement v, StringBuilder sb)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                bool first = true;
                foreach (var p in v.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(p.Name, ConfigJson.Default.String)).Append(':');
                    Write(p.Value, sb);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                int i = 0;
                foreach (var item in v.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(item, sb);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                // Re-encoded so escaping style (\u0022 or \") does not count as a difference.
                sb.Append(JsonSerializer.Serialize(v.GetString(), ConfigJson.Default.String));
                break;
            default:
                sb.Append(v.GetRawText());
                break;
        }
    }
}
