using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;

namespace Strata.Cli.Formatting;

/// <summary>
/// The subset of Go's text/template that docker users put in <c>--format</c>: field chains
/// (<c>{{.RootFS.Layers}}</c>), pipelines, <c>range</c>/<c>if</c>/<c>with</c> with <c>else</c>,
/// and docker's functions (json, join, split, upper, lower, title, truncate, pad, println,
/// printf, len, index, eq, ne, not, and, or). Data is a JSON tree, so every view model that
/// serializes (source-generated) can be formatted. Values print as Go prints them.
/// </summary>
internal sealed class GoTemplate
{
    private readonly List<TemplateNode> _nodes;

    private GoTemplate(List<TemplateNode> nodes) => _nodes = nodes;

    public static GoTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new TemplateParser(text);
        var nodes = parser.ParseList(out var terminator);
        if (terminator is not null) throw new InvalidArgumentException($"template parsing error: unexpected {{{{{terminator}}}}}");
        return new GoTemplate(nodes);
    }

    public string Execute(JsonNode? data)
    {
        var sb = new StringBuilder();
        Render(_nodes, data, sb);
        return sb.ToString();
    }

    private static void Render(List<TemplateNode> nodes, JsonNode? dot, StringBuilder sb)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    sb.Append(t.Text);
                    break;
                case ActionNode a:
                    sb.Append(Print(Evaluate(a.Pipeline, dot)));
                    break;
                case IfNode i:
                    {
                        var value = Evaluate(i.Pipeline, dot);
                        if (i.Kind == "with") { if (IsTrue(value)) Render(i.Body, ToNode(value), sb); else Render(i.Else, dot, sb); }
                        else Render(IsTrue(value) ? i.Body : i.Else, dot, sb);
                        break;
                    }
                case RangeNode r:
                    {
                        var value = Evaluate(r.Pipeline, dot);
                        var items = value switch
                        {
                            JsonArray arr => arr.ToList(),
                            JsonObject obj => obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList(),
                            _ => [],
                        };
                        if (items.Count == 0) Render(r.Else, dot, sb);
                        foreach (var item in items) Render(r.Body, item, sb);
                        break;
                    }
            }
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        JsonNode n => n,
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(value.ToString()),
    };

    private static object? Evaluate(List<List<Operand>> pipeline, JsonNode? dot)
    {
        object? previous = null;
        bool first = true;
        foreach (var command in pipeline)
        {
            var args = new List<Operand>(command);
            object? result;
            if (args[0] is FunctionOperand f)
            {
                var values = args.Skip(1).Select(a => Resolve(a, dot)).ToList();
                if (!first) values.Add(previous);
                result = Functions.Call(f.Name, values);
            }
            else
            {
                if (args.Count > 1 || !first) throw new InvalidArgumentException("template: can't give argument to non-function");
                result = Resolve(args[0], dot);
            }
            previous = result;
            first = false;
        }
        return previous;
    }

    private static object? Resolve(Operand operand, JsonNode? dot) => operand switch
    {
        LiteralOperand l => l.Value,
        FieldOperand f => Field(dot, f.Path),
        SubPipelineOperand p => Evaluate(p.Pipeline, dot),
        FunctionOperand f => Functions.Call(f.Name, []),
        _ => null,
    };

    private static JsonNode? Field(JsonNode? dot, string[] path)
    {
        var current = dot;
        foreach (var name in path)
        {
            if (current is JsonObject obj)
            {
                if (!obj.TryGetPropertyValue(name, out var next))
                    throw new InvalidArgumentException($"template: can't evaluate field {name}");
                current = next;
            }
            else if (current is null)
            {
                return null;
            }
            else
            {
                throw new InvalidArgumentException($"template: can't evaluate field {name} in type {Kind(current)}");
            }
        }
        return current;
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Array => "[]interface {}",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "float64",
        _ => "interface {}",
    };

    internal static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long n => n != 0,
        double d => d != 0,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.GetValue<double>() != 0,
            _ => true,
        },
        _ => true,
    };

    /// <summary>How Go's fmt prints a value with %v.</summary>
    internal static string Print(object? value) => value switch
    {
        null => "<no value>",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        JsonArray a => "[" + string.Join(' ', a.Select(Print)) + "]",
        JsonObject o => "map[" + string.Join(' ', o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Print(p.Value))) + "]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => v.ToJsonString(),
        },
        IEnumerable<string> list => "[" + string.Join(' ', list) + "]",
        _ => value.ToString() ?? "",
    };
}
