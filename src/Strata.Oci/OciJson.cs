using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// The one way Strata turns spec documents into bytes and back: compact UTF-8, nulls omitted,
/// properties in the spec's order (so equal values give equal digests), and read errors that
/// say which document failed and why.
/// </summary>
public static class OciJson
{
    // The default encoder escapes '+' (\u002B) and friends, which would put "tar\u002Bgzip" into
    // every manifest we write; Go (docker, containerd) writes them as is. Immutable once built.
    private static readonly OciJsonContext Context = new(new JsonSerializerOptions(OciJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Compact UTF-8 JSON of <paramref name="value"/>.</summary>
    public static byte[] Serialize(ImageManifest value) => SerializeCore(value, Context.ImageManifest);

    public static byte[] Serialize(ImageIndex value) => SerializeCore(value, Context.ImageIndex);

    public static byte[] Serialize(ImageConfig value) => SerializeCore(value, Context.ImageConfig);

    public static byte[] Serialize(OciLayoutHeader value) => SerializeCore(value, Context.OciLayoutHeader);

    public static byte[] Serialize(Descriptor value) => SerializeCore(value, Context.Descriptor);

    /// <summary>A docker-archive <c>manifest.json</c>.</summary>
    public static byte[] Serialize(IReadOnlyList<DockerArchiveManifestEntry> value) =>
        SerializeCore(value, Context.IReadOnlyListDockerArchiveManifestEntry);

    /// <summary>A docker-archive legacy <c>repositories</c> file: repository -> tag -> layer ID hex.</summary>
    public static byte[] SerializeRepositories(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> value) =>
        SerializeCore(value, Context.IReadOnlyDictionaryStringIReadOnlyDictionaryStringString);

    /// <param name="utf8">The document.</param>
    /// <param name="source">What the bytes are (a digest, a path), named in the error.</param>
    public static ImageManifest DeserializeManifest(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.ImageManifest, source, "image manifest");

    public static ImageIndex DeserializeIndex(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.ImageIndex, source, "image index");

    public static ImageConfig DeserializeConfig(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.ImageConfig, source, "image config");

    public static OciLayoutHeader DeserializeLayoutHeader(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.OciLayoutHeader, source, "oci-layout header");

    public static Descriptor DeserializeDescriptor(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.Descriptor, source, "descriptor");

    public static IReadOnlyList<DockerArchiveManifestEntry> DeserializeDockerArchiveManifest(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.IReadOnlyListDockerArchiveManifestEntry, source, "docker archive manifest.json");

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> DeserializeRepositories(ReadOnlySpan<byte> utf8, string source) =>
        DeserializeCore(utf8, Context.IReadOnlyDictionaryStringIReadOnlyDictionaryStringString, source, "docker archive repositories file");

    private static byte[] SerializeCore<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
    }

    private static T DeserializeCore<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string source, string what)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8, typeInfo);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new InvalidArgumentException($"cannot parse {what} {source}{where}: {FirstLine(e.Message)}", e);
        }
        catch (InvalidArgumentException e) when (e.InnerException is null)
        {
            // A Digest or DiffId constructor rejected a value inside the document.
            throw new InvalidArgumentException($"cannot parse {what} {source}: {e.Message}", e);
        }
        return value ?? throw new InvalidArgumentException($"cannot parse {what} {source}: the document is JSON null.");
    }

    // System.Text.Json appends "Path: ... | LineNumber: ..." to its messages; we name the path ourselves.
    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf('\n', StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }
}
