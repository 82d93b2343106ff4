using System.Text.Json;
using Strata.Core;

namespace Strata.Oci.Tests.Schema;

/// <summary>
/// What upstream's <c>schema.Validator</c> does: JSON Schema (draft-04) for the media type's
/// schema, then our <see cref="SpecRules"/> for what the schemas cannot say.
/// </summary>
internal static class SpecValidation
{
    public static string ImageSpec => Path.Combine(RepoPaths.Conformance, "opencontainers-image-spec");

    private static readonly Lazy<Draft04Validator> Validator = new(() => new Draft04Validator(Path.Combine(ImageSpec, "schema")));

    public static string SchemaFor(string mediaType) => mediaType switch
    {
        MediaTypes.OciDescriptor => "content-descriptor.json",
        MediaTypes.OciLayoutHeader => "image-layout-schema.json",
        MediaTypes.OciManifest => "image-manifest-schema.json",
        MediaTypes.OciIndex => "image-index-schema.json",
        MediaTypes.OciConfig => "config-schema.json",
        _ => throw new ArgumentException($"no schema for {mediaType}", nameof(mediaType)),
    };

    /// <summary>Schema errors only (no <see cref="SpecRules"/>).</summary>
    public static IReadOnlyList<string> ValidateSchemaOnly(string mediaType, JsonElement document) =>
        Validator.Value.Validate(SchemaFor(mediaType), document);

    /// <summary>Every problem with <paramref name="utf8"/> as a <paramref name="mediaType"/> document; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string mediaType, ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }
        using (document)
        {
            var errors = new List<string>(Validator.Value.Validate(SchemaFor(mediaType), document.RootElement));
            errors.AddRange(SpecRules.Check(mediaType, document.RootElement));
            return errors;
        }
    }
}
