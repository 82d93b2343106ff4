using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;

namespace Strata.Cli.Formatting;

/// <summary>The template functions docker's CLI offers (templates.basicFunctions) plus Go's builtins.</summary>
internal static class Functions
{
    public static object? Call(string name, List<object?> args)
    {
        // docker's json encodes without HTML escaping; a typed value keeps its struct's field order.
        if (name == "json") return GoJson.Encode(Arg(args, 0, name), escapeHtml: false);
        if (name == "index" && args.Count == 2 && args[0] is TypedValue { Shape.Kind: GoKind.Map } map)
        {
            // index of a missing key in a typed map is the element's zero value, not "no value".
            var key = GoTemplate.Print(GoTemplate.Plain(args[1]));
            var child = map.Node is JsonObject o && o.TryGetPropertyValue(key, out var c) ? c : null;
            return GoTemplate.Plain(new TypedValue(child, map.Shape.Element!));
        }
        return CallPlain(name, [.. args.Select(GoTemplate.Plain)]);
    }

    private static object? CallPlain(string name, List<object?> args) => name switch
    {
        "join" => string.Join(Text(Arg(args, 1, name)), Strings(Arg(args, 0, name))),
        "split" => new JsonArray(Text(Arg(args, 0, name)).Split(Text(Arg(args, 1, name))).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        "upper" => Text(Arg(args, 0, name)).ToUpperInvariant(),
        "lower" => Text(Arg(args, 0, name)).ToLowerInvariant(),
        "title" => Title(Text(Arg(args, 0, name))),
        "truncate" => Truncate(Text(Arg(args, 0, name)), (int)Number(Arg(args, 1, name))),
        "pad" => new string(' ', (int)Number(Arg(args, 1, name))) + Text(Arg(args, 0, name)) + new string(' ', (int)Number(Arg(args, 2, name))),
        "println" => string.Join(' ', args.Select(GoTemplate.Print)) + "\n",
        "print" => string.Concat(args.Select(GoTemplate.Print)),
        "printf" => Printf(Text(Arg(args, 0, name)), args.Skip(1).ToList()),
        "len" => (long)Length(Arg(args, 0, name)),
        "index" => Index(Arg(args, 0, name), Arg(args, 1, name)),
        "eq" => Equals(Scalar(Arg(args, 0, name)), Scalar(Arg(args, 1, name))),
        "ne" => !Equals(Scalar(Arg(args, 0, name)), Scalar(Arg(args, 1, name))),
        "not" => !GoTemplate.IsTrue(Arg(args, 0, name)),
        "and" => args.All(GoTemplate.IsTrue),
        "or" => args.Any(GoTemplate.IsTrue),
        _ => throw new InvalidArgumentException($"template parsing error: function \"{name}\" not defined"),
    };

    private static object? Arg(List<object?> args, int i, string name) =>
        i < args.Count ? args[i] : throw new InvalidArgumentException($"template: wrong number of args for {name}");

    private static string Text(object? value) => GoTemplate.Print(value);

    private static object? Scalar(object? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        long l => (double)l,
        _ => value,
    };

    private static double Number(object? value) => Scalar(value) switch
    {
        double d => d,
        string s when double.TryParse(s, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new InvalidArgumentException("template: expected a number"),
    };

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        JsonArray a => a.Select(GoTemplate.Print),
        IEnumerable<string> list => list,
        _ => [Text(value)],
    };

    private static int Length(object? value) => value switch
    {
        null => 0,
        JsonArray a => a.Count,
        JsonObject o => o.Count,
        _ => Text(value).Length,
    };

    private static JsonNode? Index(object? collection, object? key) => collection switch
    {
        JsonArray a => a[(int)Number(key)],
        JsonObject o => o.TryGetPropertyValue(Text(key), out var v) ? v : null,
        _ => throw new InvalidArgumentException("template: can't index item"),
    };

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool start = true;
        foreach (char c in s)
        {
            sb.Append(start ? char.ToUpperInvariant(c) : c);
            start = !char.IsLetterOrDigit(c);
        }
        return sb.ToString();
    }

    private static string Truncate(string s, int n)
    {
        var runes = s.EnumerateRunes().ToList();
        return runes.Count <= n ? s : string.Concat(runes.Take(n).Select(r => r.ToString()));
    }

    private static string Printf(string format, List<object?> args)
    {
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { sb.Append(format[i]); continue; }
            char verb = format[++i];
            if (verb == '%') { sb.Append('%'); continue; }
            var value = next < args.Count ? args[next++] : null;
            sb.Append(verb == 'q' ? "\"" + Text(value) + "\"" : Text(value));
        }
        return sb.ToString();
    }
}
