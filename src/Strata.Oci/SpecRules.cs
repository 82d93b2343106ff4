using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// The image-spec rules its JSON schemas cannot express but its reference validator enforces:
/// descriptor digests follow the go-digest rules (registered algorithms need lower-case hex of
/// the right length), <c>urls</c> are absolute URIs, <c>data</c> is padded base64 that matches
/// the descriptor's size and digest, and every config <c>Env</c> entry is <c>NAME=value</c>.
/// Run after (not instead of) schema validation; a document of the wrong shape yields no
/// findings here because the schema already rejects it.
/// </summary>
public static partial class SpecRules
{
    /// <summary>Violations in <paramref name="document"/>, read as a <paramref name="mediaType"/> document; empty when it passes.</summary>
    public static IReadOnlyList<string> Check(string mediaType, JsonElement document)
    {
        var problems = new List<string>();
        if (document.ValueKind != JsonValueKind.Object) return problems;
        switch (mediaType)
        {
            case MediaTypes.OciDescriptor:
                CheckDescriptor(document, "descriptor", problems);
                break;
            case MediaTypes.OciManifest or MediaTypes.DockerManifest:
                CheckDescriptorAt(document, "config", problems);
                CheckDescriptorArray(document, "layers", problems);
                CheckDescriptorAt(document, "subject", problems);
                break;
            case MediaTypes.OciIndex or MediaTypes.DockerManifestList:
                CheckDescriptorArray(document, "manifests", problems);
                CheckDescriptorAt(document, "subject", problems);
                break;
            case MediaTypes.OciConfig or MediaTypes.DockerConfig:
                if (document.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
                    && config.TryGetProperty("Env", out var env) && env.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (var entry in env.EnumerateArray())
                    {
                        if (entry.ValueKind == JsonValueKind.String && !IsEnvEntry(entry.GetString()!))
                            problems.Add($"config.Env[{i}] \"{entry.GetString()}\" is not NAME=value.");
                        i++;
                    }
                }
                break;
        }
        return problems;
    }

    /// <summary>Violations in a typed descriptor (<paramref name="where"/> names it in the messages).</summary>
    public static IReadOnlyList<string> Check(Descriptor descriptor, string where)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = new List<string>();
        CheckDigest(descriptor.Digest.Value, where, problems);
        if (descriptor.Size < 0) problems.Add($"{where}: size {descriptor.Size} is negative.");
        foreach (var url in descriptor.Urls ?? [])
            CheckUrl(url, where, problems);
        if (descriptor.Data is not null)
            CheckData(descriptor.Data, descriptor.Size, descriptor.Digest.Value, where, problems);
        return problems;
    }

    /// <summary>True when <paramref name="entry"/> matches <c>^[^=]+=.*$</c>.</summary>
    public static bool IsEnvEntry(string entry) => EnvPattern().IsMatch(entry);

    private static void CheckDescriptorAt(JsonElement parent, string name, List<string> problems)
    {
        if (parent.TryGetProperty(name, out var child)) CheckDescriptor(child, name, problems);
    }

    private static void CheckDescriptorArray(JsonElement parent, string name, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return;
        int i = 0;
        foreach (var item in array.EnumerateArray()) CheckDescriptor(item, $"{name}[{i++}]", problems);
    }

    private static void CheckDescriptor(JsonElement descriptor, string where, List<string> problems)
    {
        if (descriptor.ValueKind != JsonValueKind.Object) return;
        string? digest = null;
        if (descriptor.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String)
        {
            digest = d.GetString()!;
            CheckDigest(digest, where, problems);
        }
        if (descriptor.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array)
        {
            foreach (var url in urls.EnumerateArray())
            {
                if (url.ValueKind == JsonValueKind.String) CheckUrl(url.GetString()!, where, problems);
            }
        }
        if (descriptor.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            long size = descriptor.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : -1;
            CheckData(data.GetString()!, size, digest, where, problems);
        }
    }

    private static void CheckDigest(string digest, string where, List<string> problems)
    {
        // Core's Digest knows sha256 and sha512; go-digest also registers sha384.
        if (!Digest.TryParse(digest, out var parsed))
        {
            problems.Add($"{where}: digest \"{digest}\" is not a valid digest.");
        }
        else if (parsed.Algorithm == "sha384" && !IsLowerHex(parsed.Encoded, 96))
        {
            problems.Add($"{where}: digest \"{digest}\" needs 96 lower-case hex characters.");
        }
    }

    private static void CheckUrl(string url, string where, List<string> problems)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            problems.Add($"{where}: url \"{url}\" is not an absolute URI.");
    }

    private static void CheckData(string data, long size, string? digest, string where, List<string> problems)
    {
        // Padded standard base64 only, as Go's base64.StdEncoding decodes it.
        var buffer = new byte[data.Length];
        if (data.Length % 4 != 0 || !Convert.TryFromBase64String(data, buffer, out int length))
        {
            problems.Add($"{where}: data is not padded base64.");
            return;
        }
        if (size >= 0 && length != size)
            problems.Add($"{where}: data holds {length} bytes but size is {size}.");
        if (digest is not null && Digest.TryParse(digest, out var expected) && expected.Algorithm == Digest.Sha256)
        {
            var actual = Digest.FromSha256Bytes(SHA256.HashData(buffer.AsSpan(0, length)));
            if (actual != expected) problems.Add($"{where}: data has digest {actual}, not {expected}.");
        }
    }

    private static bool IsLowerHex(string text, int length) =>
        text.Length == length && text.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c));

    [GeneratedRegex("^[^=]+=.*$", RegexOptions.Singleline)]
    private static partial Regex EnvPattern();
}
