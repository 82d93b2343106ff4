using System.Text.Json;
using System.Text.RegularExpressions;

namespace Strata.Oci.Tests.Schema;

/// <summary>
/// A small JSON Schema draft-04 validator, just enough for the image-spec schemas: type, enum,
/// properties/patternProperties/additionalProperties, required, items, min/maxItems,
/// min/maxLength, pattern, minimum/maximum (with exclusive flags), allOf/anyOf/oneOf/not, $ref.
/// Format assertions are off, as in upstream's test setup (SpecRules covers <c>urls</c>).
/// <para>
/// <c>$ref</c> resolution: the image-spec schemas refer to each other by file name
/// (<c>defs.json#/definitions/x</c>) and, through nested <c>id</c>s, by URL aliases of those
/// files (<c>https://opencontainers.org/schema/image/descriptor/defs-descriptor.json</c>). Every
/// such reference ends in a registered file name, so a reference is resolved by the last path
/// segment before <c>#</c>; an empty one means the current document.
/// </para>
/// </summary>
internal sealed class Draft04Validator
{
    private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Regex> _regexes = new(StringComparer.Ordinal);

    public Draft04Validator(string schemaDirectory)
    {
        foreach (var file in Directory.GetFiles(schemaDirectory, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            _documents[Path.GetFileName(file)] = document.RootElement.Clone();
        }
    }

    /// <summary>Errors of <paramref name="instance"/> against schema file <paramref name="schemaFile"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string schemaFile, JsonElement instance)
    {
        var errors = new List<string>();
        Validate(_documents[schemaFile], schemaFile, instance, "$", errors);
        return errors;
    }

    private void Validate(JsonElement schema, string document, JsonElement instance, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object) return;

        if (schema.TryGetProperty("$ref", out var reference))
        {
            // draft-04: $ref replaces every sibling keyword.
            var (target, targetDocument) = Resolve(reference.GetString()!, document);
            Validate(target, targetDocument, instance, path, errors);
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
            errors.Add($"{path}: expected type {type.GetRawText()}, got {instance.ValueKind}");

        if (schema.TryGetProperty("enum", out var @enum) && !@enum.EnumerateArray().Any(e => JsonElement.DeepEquals(e, instance)))
            errors.Add($"{path}: value not in enum {@enum.GetRawText()}");

        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (!schema.TryGetProperty(keyword, out var list)) continue;
            int passed = 0;
            foreach (var sub in list.EnumerateArray())
            {
                var subErrors = new List<string>();
                Validate(sub, document, instance, path, subErrors);
                if (subErrors.Count == 0) passed++;
                else if (keyword == "allOf") errors.AddRange(subErrors);
            }
            if (keyword == "anyOf" && passed == 0) errors.Add($"{path}: matches none of anyOf");
            if (keyword == "oneOf" && passed != 1) errors.Add($"{path}: matches {passed} of oneOf, want exactly 1");
        }
        if (schema.TryGetProperty("not", out var not))
        {
            var subErrors = new List<string>();
            Validate(not, document, instance, path, subErrors);
            if (subErrors.Count == 0) errors.Add($"{path}: matches a 'not' schema");
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, document, instance, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, document, instance, path, errors);
                break;
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, instance.GetDouble(), path, errors);
                break;
        }
    }

    private void ValidateObject(JsonElement schema, string document, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                if (!instance.TryGetProperty(name.GetString()!, out _)) errors.Add($"{path}: missing required property {name.GetString()}");
            }
        }
        schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("patternProperties", out var patternProperties);
        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            bool matched = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                matched = true;
                Validate(propertySchema, document, property.Value, childPath, errors);
            }
            if (patternProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in patternProperties.EnumerateObject())
                {
                    if (!Regex(pattern.Name).IsMatch(property.Name)) continue;
                    matched = true;
                    Validate(pattern.Value, document, property.Value, childPath, errors);
                }
            }
            if (!matched && additional.ValueKind == JsonValueKind.False)
                errors.Add($"{childPath}: additional property not allowed");
            else if (!matched && additional.ValueKind == JsonValueKind.Object)
                Validate(additional, document, property.Value, childPath, errors);
        }
    }

    private void ValidateArray(JsonElement schema, string document, JsonElement instance, string path, List<string> errors)
    {
        int count = instance.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var minItems) && count < minItems.GetInt32())
            errors.Add($"{path}: {count} items, want at least {minItems.GetInt32()}");
        if (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32())
            errors.Add($"{path}: {count} items, want at most {maxItems.GetInt32()}");
        if (!schema.TryGetProperty("items", out var items)) return;
        int i = 0;
        foreach (var item in instance.EnumerateArray())
        {
            if (items.ValueKind == JsonValueKind.Object)
                Validate(items, document, item, $"{path}[{i}]", errors);
            else if (items.ValueKind == JsonValueKind.Array && i < items.GetArrayLength())
                Validate(items[i], document, item, $"{path}[{i}]", errors);
            i++;
        }
    }

    private void ValidateString(JsonElement schema, string value, string path, List<string> errors)
    {
        // Lengths count code points, not UTF-16 units.
        int length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32())
            errors.Add($"{path}: shorter than {minLength.GetInt32()}");
        if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32())
            errors.Add($"{path}: longer than {maxLength.GetInt32()}");
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex(pattern.GetString()!).IsMatch(value))
            errors.Add($"{path}: \"{value}\" does not match {pattern.GetString()}");
    }

    private static void ValidateNumber(JsonElement schema, double value, string path, List<string> errors)
    {
        bool exclusiveMin = schema.TryGetProperty("exclusiveMinimum", out var exMin) && exMin.ValueKind == JsonValueKind.True;
        bool exclusiveMax = schema.TryGetProperty("exclusiveMaximum", out var exMax) && exMax.ValueKind == JsonValueKind.True;
        if (schema.TryGetProperty("minimum", out var minimum))
        {
            double min = minimum.GetDouble();
            if (value < min || (exclusiveMin && value == min)) errors.Add($"{path}: {value} below minimum {min}");
        }
        if (schema.TryGetProperty("maximum", out var maximum))
        {
            double max = maximum.GetDouble();
            if (value > max || (exclusiveMax && value == max)) errors.Add($"{path}: {value} above maximum {max}");
        }
    }

    private static bool MatchesType(JsonElement type, JsonElement instance) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => MatchesType(t.GetString()!, instance))
            : MatchesType(type.GetString()!, instance);

    private static bool MatchesType(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsInteger(instance),
        _ => throw new InvalidOperationException($"unknown schema type {type}"),
    };

    private static bool IsInteger(JsonElement number) =>
        number.TryGetInt64(out _) || (number.TryGetDecimal(out var d) && d == decimal.Truncate(d)) || Math.Floor(number.GetDouble()) == number.GetDouble();

    private (JsonElement Schema, string Document) Resolve(string reference, string currentDocument)
    {
        int hash = reference.IndexOf('#', StringComparison.Ordinal);
        var location = hash < 0 ? reference : reference[..hash];
        var pointer = hash < 0 ? "" : reference[(hash + 1)..];
        var document = location.Length == 0 ? currentDocument : location[(location.LastIndexOf('/') + 1)..];
        if (!_documents.TryGetValue(document, out var node))
            throw new InvalidOperationException($"unresolvable $ref {reference}");
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)] : node.GetProperty(name);
        }
        return (node, document);
    }

    private Regex Regex(string pattern)
    {
        if (!_regexes.TryGetValue(pattern, out var regex))
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant);
            _regexes[pattern] = regex;
        }
        return regex;
    }
}
