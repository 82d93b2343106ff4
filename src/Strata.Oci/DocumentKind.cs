using System.Text.Json;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// Refuses manifests and indexes whose bytes could be read as the other kind (the image-spec's
/// answer to GHSA-77vh-xpmg-72qh, as containerd's <c>validateMediaType</c> applies it): a
/// document's own <c>mediaType</c>, when present, must be the one its descriptor gives; a
/// manifest must not carry <c>manifests</c>; an index must not carry <c>config</c> or
/// <c>layers</c>; schema 1 (<c>fsLayers</c>) is not supported. Without these rules one digest
/// could mean one image to Strata and another to a registry or runtime.
/// </summary>
public static class DocumentKind
{
    /// <summary>Every problem with <paramref name="document"/> read as a <paramref name="descriptorMediaType"/>; empty when it is unambiguous.</summary>
    public static IReadOnlyList<string> Check(string descriptorMediaType, ReadOnlySpan<byte> document)
    {
        ArgumentNullException.ThrowIfNull(descriptorMediaType);
        var problems = new List<string>();
        bool manifest = MediaTypes.IsManifest(descriptorMediaType);
        bool index = MediaTypes.IsIndex(descriptorMediaType);
        if (!manifest && !index) return problems;
        JsonDocument parsed;
        try
        {
            var reader = new Utf8JsonReader(document);
            parsed = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            problems.Add($"is not JSON ({e.Message.Split('\n')[0].TrimEnd()})");
            return problems;
        }
        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("is not a JSON object");
                return problems;
            }
            if (root.TryGetProperty("mediaType", out var own) && own.ValueKind == JsonValueKind.String && own.GetString() != descriptorMediaType)
                problems.Add($"says its mediaType is \"{own.GetString()}\" but its descriptor says \"{descriptorMediaType}\"");
            if (Present(root, "fsLayers")) problems.Add("is a schema 1 manifest (fsLayers), which is not supported");
            if (manifest && Present(root, "manifests"))
                problems.Add(Present(root, "layers") ? "carries both \"layers\" and \"manifests\"" : "is a manifest carrying \"manifests\"");
            if (index)
            {
                foreach (var field in (string[])["config", "layers"])
                {
                    if (Present(root, field)) problems.Add($"is an index carrying \"{field}\"");
                }
            }
        }
        return problems;
    }

    /// <summary>
    /// Throws <see cref="InvalidArgumentException"/> with one line naming the document
    /// (<paramref name="where"/>: the archive or flag) when <see cref="Check"/> finds a problem.
    /// </summary>
    public static void Validate(Descriptor descriptor, ReadOnlySpan<byte> document, string where)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = Check(descriptor.MediaType, document);
        if (problems.Count == 0) return;
        var what = MediaTypes.IsIndex(descriptor.MediaType) ? "index" : "manifest";
        throw new InvalidArgumentException($"{where}: {what} {descriptor.Digest} is ambiguous: it {string.Join("; it ", problems)}");
    }

    // A null member names nothing (writers emit "manifests": null); even an empty array marks the kind.
    private static bool Present(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
}
