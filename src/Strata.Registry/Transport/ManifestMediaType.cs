using System.Text.Json;
using Strata.Core;

namespace Strata.Registry.Transport;

/// <summary>
/// Decides what a served manifest is. The Content-Type is the registry's word; when it is a
/// generic JSON type the document's own <c>mediaType</c> decides. Schema 1 is refused by name
/// (docker removed it; its digests are not content digests).
/// </summary>
internal static class ManifestMediaType
{
    /// <summary>What we accept, indexes first so a tag for several platforms comes as its index.</summary>
    public static readonly string[] Accepted = [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    private static readonly string[] Schema1 =
    [
        "application/vnd.docker.distribution.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
    ];

    private static readonly string[] Generic = ["application/json", "text/plain", "application/octet-stream"];

    /// <exception cref="InvalidArgumentException">Schema 1, or no usable media type, in one line naming <paramref name="what"/>.</exception>
    public static string Resolve(string? contentType, ReadOnlySpan<byte> body, string what)
    {
        if (contentType is not null && Schema1.Contains(contentType, StringComparer.OrdinalIgnoreCase))
            throw new InvalidArgumentException($"{what}: the registry served a Docker schema 1 manifest ({contentType}), which is not supported: push the image again with a current docker, skopeo or strata");
        if (contentType is not null && (MediaTypes.IsManifest(contentType) || MediaTypes.IsIndex(contentType))) return contentType;
        if (contentType is null || Generic.Contains(contentType, StringComparer.OrdinalIgnoreCase))
        {
            var own = OwnMediaType(body);
            if (own is not null && Schema1.Contains(own, StringComparer.OrdinalIgnoreCase))
                throw new InvalidArgumentException($"{what}: the registry served a Docker schema 1 manifest ({own}), which is not supported: push the image again with a current docker, skopeo or strata");
            if (own is not null && (MediaTypes.IsManifest(own) || MediaTypes.IsIndex(own))) return own;
            throw new InvalidArgumentException($"{what}: the registry served a document of type {contentType ?? "(none)"} that names no manifest or index media type");
        }
        throw new InvalidArgumentException($"{what}: the registry served {contentType}, which is not an image manifest or index");
    }

    private static string? OwnMediaType(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("mediaType", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
