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
/// printf, len, index, eq, ne, not, and, or). Data comes two ways, as docker's does:
/// <list type="bullet">
/// <item>typed (<see cref="TypedValue"/>, a JSON tree with its Go type): an unset struct field is
/// its zero value, a missing map key prints <c>&lt;no value&gt;</c>, a field the type lacks fails;</item>
/// <item>raw (a bare JSON tree, as docker's inspect falls back to decoded JSON with
/// <c>missingkey=error</c>): a missing key fails.</item>
/// </list>
/// Values print as Go's fmt prints them; errors read as Go's, with the field's line:column.
/// </summary>
internal sealed class GoTemplate
{
    private readonly List<TemplateNode> _nodes;
    private readonly string _text;

    private GoTemplate(List<TemplateNode> nodes, string text)
    {
        _nodes = nodes;
        _text = text;
    }

    /// <summary>What a missing map key (Go's invalid value) evaluates to: prints "&lt;no value&gt;".</summary>
    internal static readonly object NoValue = new();

    public static GoTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new TemplateParser(text);
        var nodes = parser.ParseList(out var terminator);
        if (terminator is not null) throw new InvalidArgumentException($"template parsing error: unexpected {{{{{terminator}}}}}");
        return new GoTemplate(nodes, text);
    }

    /// <summary>Runs over raw JSON (docker's decoded-JSON fallback, <c>missingkey=error</c>).</summary>
    public string Execute(JsonNode? data) => Run(data);

    /// <summary>Runs over typed data (docker's structs and formatter contexts).</summary>
    public string Execute(TypedValue data) => Run(data);

    private string Run(object? data)
    {
        var sb = new StringBuilder();
        Render(_nodes, data, sb);
        return sb.ToString();
    }

    private void Render(List<TemplateNode> nodes, object? dot, StringBuilder sb)
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
                        if (i.Kind == "with") { if (IsTrue(value)) Render(i.Body, value, sb); else Render(i.Else, dot, sb); }
                        else Render(IsTrue(value) ? i.Body : i.Else, dot, sb);
                        break;
                    }
                case RangeNode r:
                    {
                        var items = Items(Evaluate(r.Pipeline, dot));
                        if (items.Count == 0) Render(r.Else, dot, sb);
                        foreach (var item in items) Render(r.Body, item, sb);
                        break;
                    }
            }
        }
    }

    /// <summary>What <c>range</c> walks: a slice's elements, a map's values in key order.</summary>
    private static List<object?> Items(object? value) => value switch
    {
        JsonArray arr => [.. arr],
        JsonObject obj => [.. obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)p.Value)],
        TypedValue { Node: JsonArray arr, Shape.Kind: GoKind.Slice } t => [.. arr.Select(e => (object?)new TypedValue(e, t.Shape.Element!))],
        TypedValue { Node: JsonObject obj, Shape.Kind: GoKind.Map } t =>
            [.. obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)new TypedValue(p.Value, t.Shape.Element!))],
        TypedValue { Node: JsonArray arr, Shape.Kind: GoKind.Interface } => [.. arr],
        TypedValue { Node: JsonObject obj, Shape.Kind: GoKind.Interface } => [.. obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)p.Value)],
        _ => [],
    };

    private object? Evaluate(List<List<Operand>> pipeline, object? dot)
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

    private object? Resolve(Operand operand, object? dot) => operand switch
    {
        LiteralOperand l => l.Value,
        FieldOperand f => Field(dot, f),
        SubPipelineOperand p => Evaluate(p.Pipeline, dot),
        FunctionOperand f => Functions.Call(f.Name, []),
        _ => null,
    };

    private object? Field(object? dot, FieldOperand field)
    {
        var current = dot;
        foreach (var name in field.Path)
        {
            current = current switch
            {
                TypedValue t => TypedField(t, name, field),
                _ when ReferenceEquals(current, NoValue) => NoValue,
                JsonObject obj => obj.TryGetPropertyValue(name, out var next) ? next : throw Fail(field, $"map has no entry for key \"{name}\""),
                null => throw Fail(field, $"nil pointer evaluating interface {{}}.{name}"),
                _ => throw Fail(field, $"can't evaluate field {name} in type interface {{}}"),
            };
        }
        return current;
    }

    private object? TypedField(TypedValue value, string name, FieldOperand field)
    {
        var shape = value.Shape;
        switch (shape.Kind)
        {
            case GoKind.Pointer when value.Node is null:
                if (shape.Field(name) is null) throw Fail(field, $"can't evaluate field {name} in type {shape.TypeName}");
                throw Fail(field, $"nil pointer evaluating {shape.TypeName}.{name}");
            case GoKind.Struct or GoKind.Pointer:
                {
                    var f = shape.Field(name) ?? throw Fail(field, $"can't evaluate field {name} in type {(shape.Kind == GoKind.Pointer ? shape.Element!.TypeName : shape.TypeName)}");
                    JsonNode? child = null;
                    (value.Node as JsonObject)?.TryGetPropertyValue(f.Key, out child);
                    return new TypedValue(child, f.Shape);
                }
            case GoKind.Map:
                {
                    if (value.Node is JsonObject map && map.TryGetPropertyValue(name, out var child)) return new TypedValue(child, shape.Element!);
                    return NoValue;
                }
            case GoKind.Context:
                {
                    if (value.Node is JsonObject row && row.TryGetPropertyValue(name, out var child))
                        return child is JsonValue v && v.GetValueKind() == JsonValueKind.String ? new TypedValue(child, GoShape.String) : new TypedValue(child, GoShape.Interface);
                    throw Fail(field, $"can't evaluate field {name} in type {shape.TypeName}");
                }
            case GoKind.Interface:
                return value.Node switch
                {
                    JsonObject obj => obj.TryGetPropertyValue(name, out var child) ? new TypedValue(child, GoShape.Interface) : NoValue,
                    null => throw Fail(field, $"nil pointer evaluating interface {{}}.{name}"),
                    _ => throw Fail(field, $"can't evaluate field {name} in type interface {{}}"),
                };
            default:
                throw Fail(field, $"can't evaluate field {name} in type {shape.TypeName}");
        }
    }

    /// <summary>Go's ExecError text: <c>template: :LINE:COL: executing "" at &lt;.A.B&gt;: what</c>.</summary>
    private TemplateExecutionException Fail(FieldOperand field, string what)
    {
        int position = Math.Min(field.Position, _text.Length);
        int line = 1 + _text.AsSpan(0, position).Count('\n');
        int lastNewline = _text.LastIndexOf('\n', Math.Max(position - 1, 0));
        int column = lastNewline < 0 || lastNewline >= position ? position : position - lastNewline - 1;
        return new TemplateExecutionException($"template: :{line}:{column}: executing \"\" at <{field.Text}>: {what}");
    }

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
        TypedValue { Shape.Kind: GoKind.Struct or GoKind.Time } => true,
        TypedValue { Node: null } => false,
        TypedValue t => IsTrue(t.Node),
        _ when ReferenceEquals(value, NoValue) => false,
        _ => true,
    };

    /// <summary>A typed value as a plain one for the functions: zero values filled in, a missing key as nil.</summary>
    internal static object? Plain(object? value) => value switch
    {
        TypedValue { Node: null } t => t.Shape.Kind switch
        {
            GoKind.String => "",
            GoKind.Bool => false,
            GoKind.Int => 0L,
            GoKind.Time => "0001-01-01T00:00:00Z",
            _ => null,
        },
        TypedValue t => t.Node,
        _ when ReferenceEquals(value, NoValue) => null,
        _ => value,
    };

    /// <summary>How Go's fmt prints a value with %v (text/template prints a top-level pointer's struct).</summary>
    internal static string Print(object? value) => value switch
    {
        null => "<no value>",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        TypedValue t => PrintTyped(t.Node, t.Shape, topLevel: true),
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
        _ when ReferenceEquals(value, NoValue) => "<no value>",
        _ => value.ToString() ?? "",
    };

    private static string PrintTyped(JsonNode? node, GoShape shape, bool topLevel)
    {
        switch (shape.Kind)
        {
            case GoKind.String:
            case GoKind.Bool:
            case GoKind.Int:
                return Print(Plain(new TypedValue(node, shape)));
            case GoKind.Time:
                return GoTimeString(node is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : "0001-01-01T00:00:00Z");
            case GoKind.Slice:
                return node is JsonArray a ? "[" + string.Join(' ', a.Select(e => PrintTyped(e, shape.Element!, false))) + "]" : "[]";
            case GoKind.Map:
                return node is JsonObject m
                    ? "map[" + string.Join(' ', m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + PrintTyped(p.Value, shape.Element!, false))) + "]"
                    : "map[]";
            case GoKind.Pointer when node is null:
                return "<nil>";
            case GoKind.Struct:
            case GoKind.Pointer:
                {
                    var obj = node as JsonObject;
                    var parts = shape.Fields.Select(f =>
                    {
                        JsonNode? child = null;
                        obj?.TryGetPropertyValue(f.Key, out child);
                        return PrintTyped(child, f.Shape, false);
                    });
                    return (shape.Kind == GoKind.Pointer && !topLevel ? "&{" : "{") + string.Join(' ', parts) + "}";
                }
            default:
                return node is null ? "<nil>" : Print(node);
        }
    }

    /// <summary>Go's Time.String() for an RFC 3339 UTC time: "2006-01-02 15:04:05.999999999 +0000 UTC".</summary>
    private static string GoTimeString(string rfc3339)
    {
        if (rfc3339.Length < 20 || rfc3339[10] != 'T' || !rfc3339.EndsWith('Z')) return rfc3339;
        return rfc3339[..10] + " " + rfc3339[11..^1] + " +0000 UTC";
    }
}
