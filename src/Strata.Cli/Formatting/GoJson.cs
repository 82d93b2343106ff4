using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Cli.Formatting;

/// <summary>
/// JSON as Go's encoding/json writes it, byte for byte: struct fields in declaration order with
/// <c>omitempty</c> honoured, map keys sorted, no spaces; strings keep non-ASCII as UTF-8, escape
/// <c>"</c> and <c>\</c> with a backslash, <c>\n \r \t</c> short, other control characters and
/// U+2028/U+2029 as lower-case <c>\u00XX</c>, and <c>&lt; &gt; &amp;</c> only when HTML escaping is
/// on (json.Marshal) and not when it is off (docker's <c>json</c> template function, the daemon).
/// </summary>
internal static class GoJson
{
    public static string Encode(object? value, bool escapeHtml)
    {
        var sb = new StringBuilder();
        switch (value)
        {
            case TypedValue t: WriteTyped(sb, t.Node, t.Shape, escapeHtml); break;
            case JsonNode n: WriteRaw(sb, n, escapeHtml); break;
            case null: sb.Append("null"); break;
            case string s: WriteString(sb, s, escapeHtml); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            default: WriteString(sb, value.ToString() ?? "", escapeHtml); break;
        }
        return sb.ToString();
    }

    private static void WriteTyped(StringBuilder sb, JsonNode? node, GoShape shape, bool escapeHtml)
    {
        switch (shape.Kind)
        {
            case GoKind.String:
                WriteString(sb, node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "", escapeHtml);
                break;
            case GoKind.Bool:
                sb.Append(node?.GetValueKind() == JsonValueKind.True ? "true" : "false");
                break;
            case GoKind.Int:
                sb.Append(node is null ? "0" : node.ToJsonString());
                break;
            case GoKind.Time:
                WriteString(sb, node is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : "0001-01-01T00:00:00Z", escapeHtml);
                break;
            case GoKind.Slice:
                if (node is not JsonArray array) { sb.Append("null"); break; }
                sb.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteTyped(sb, array[i], shape.Element!, escapeHtml);
                }
                sb.Append(']');
                break;
            case GoKind.Map:
            case GoKind.Context:
                if (node is not JsonObject map) { sb.Append("null"); break; }
                // json.Marshal of a formatter context (its MarshalJSON) escapes HTML whatever the outer encoder says.
                bool html = escapeHtml || shape.Kind == GoKind.Context;
                sb.Append('{');
                bool first = true;
                foreach (var (key, child) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, key, html);
                    sb.Append(':');
                    if (shape.Element is { } element) WriteTyped(sb, child, element, html);
                    else WriteRaw(sb, child, html);
                }
                sb.Append('}');
                break;
            case GoKind.Struct:
            case GoKind.Pointer:
                if (shape.Kind == GoKind.Pointer && node is null) { sb.Append("null"); break; }
                var obj = node as JsonObject;
                sb.Append('{');
                bool firstField = true;
                foreach (var field in shape.Fields)
                {
                    JsonNode? child = null;
                    obj?.TryGetPropertyValue(field.Key, out child);
                    if (field.OmitEmpty && IsEmpty(child, field.Shape)) continue;
                    if (!firstField) sb.Append(',');
                    firstField = false;
                    WriteString(sb, field.Key, escapeHtml);
                    sb.Append(':');
                    WriteTyped(sb, child, field.Shape, escapeHtml);
                }
                sb.Append('}');
                break;
            default:
                WriteRaw(sb, node, escapeHtml);
                break;
        }
    }

    /// <summary>Go's isEmptyValue: false, 0, "", nil, and empty slices and maps; a struct never is.</summary>
    private static bool IsEmpty(JsonNode? node, GoShape shape) => shape.Kind switch
    {
        GoKind.Struct or GoKind.Time or GoKind.Context => false,
        _ when node is null => true,
        GoKind.String => node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0,
        GoKind.Bool => node.GetValueKind() == JsonValueKind.False,
        GoKind.Int => node.ToJsonString() == "0",
        GoKind.Slice => node is JsonArray a && a.Count == 0,
        GoKind.Map => node is JsonObject o && o.Count == 0,
        _ => false,
    };

    /// <summary>Untyped data: objects in their own key order.</summary>
    private static void WriteRaw(StringBuilder sb, JsonNode? node, bool escapeHtml)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                bool first = true;
                foreach (var (key, child) in obj)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, key, escapeHtml);
                    sb.Append(':');
                    WriteRaw(sb, child, escapeHtml);
                }
                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteRaw(sb, array[i], escapeHtml);
                }
                sb.Append(']');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                WriteString(sb, v.GetValue<string>(), escapeHtml);
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }

    public static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        const string hex = "0123456789abcdef";
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
            }
            if (c < 0x20 || (escapeHtml && c is '<' or '>' or '&') || c is '\u2028' or '\u2029')
            {
                sb.Append("\\u").Append(hex[(c >> 12) & 0xF]).Append(hex[(c >> 8) & 0xF]).Append(hex[(c >> 4) & 0xF]).Append(hex[c & 0xF]);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                // Go replaces invalid UTF-8 (here: a lone surrogate) with \ufffd.
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); }
                else sb.Append("\\ufffd");
                continue;
            }
            sb.Append(c);
        }
        sb.Append('"');
    }

    /// <summary>Go's json.Indent(prefix "", indent): empty arrays and objects stay <c>[]</c> and <c>{}</c>.</summary>
    public static string Indent(string compact, string indent)
    {
        var sb = new StringBuilder(compact.Length * 2);
        int depth = 0;
        bool needIndent = false;
        for (int i = 0; i < compact.Length; i++)
        {
            char c = compact[i];
            if (c == '"')
            {
                if (needIndent) { NewLine(sb, indent, depth); needIndent = false; }
                int j = i + 1;
                while (compact[j] != '"') j += compact[j] == '\\' ? 2 : 1;
                sb.Append(compact, i, j - i + 1);
                i = j;
                continue;
            }
            if (c is ']' or '}')
            {
                depth--;
                if (needIndent) needIndent = false; // an empty [] or {}
                else NewLine(sb, indent, depth);
                sb.Append(c);
                continue;
            }
            if (needIndent) { NewLine(sb, indent, depth); needIndent = false; }
            sb.Append(c);
            switch (c)
            {
                case '[' or '{': depth++; needIndent = true; break;
                case ',': NewLine(sb, indent, depth); break;
                case ':': sb.Append(' '); break;
            }
        }
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string indent, int depth)
    {
        sb.Append('\n');
        for (int i = 0; i < depth; i++) sb.Append(indent);
    }
}
