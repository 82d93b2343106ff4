using System.Text;
using System.Text.Json;
using Strata.Core;

namespace Strata.Oci.Tests.Schema;

/// <summary>
/// Spec documents through our records: deserialize, serialize, deserialize again gives the same
/// value (compared by its serialized bytes, since records compare lists by reference), and what
/// we write still validates against the spec's schemas.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, string> ValidDocuments()
    {
        var data = new TheoryData<string, string>();
        using (var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, "examples", "index.json"))))
        {
            foreach (var item in index.RootElement.EnumerateArray())
                data.Add("examples/" + item.GetProperty("file").GetString()!["examples/".Length..], item.GetProperty("mediaType").GetString()!);
        }
        foreach (var file in Directory.GetFiles(Path.Combine(SpecValidation.ImageSpec, "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            using var cases = JsonDocument.Parse(File.ReadAllBytes(file));
            int i = 0;
            foreach (var item in cases.RootElement.EnumerateArray())
            {
                if (item.GetProperty("expectValid").GetBoolean())
                    data.Add($"cases/{Path.GetFileName(file)}#{i}", item.GetProperty("validator").GetString()!);
                i++;
            }
        }
        return data;
    }

    private static byte[] Load(string id)
    {
        if (id.StartsWith("examples/", StringComparison.Ordinal))
            return File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, id));
        var hash = id.IndexOf('#', StringComparison.Ordinal);
        using var cases = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, id[..hash])));
        var item = cases.RootElement[int.Parse(id[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
        var text = item.GetProperty("document").GetString()!;
        return Encoding.UTF8.GetBytes(item.TryGetProperty("digestOfDocument", out _) ? ImageSpecConformanceTests.DockerToOci(text) : text);
    }

    private static byte[] RoundTrip(string mediaType, byte[] bytes, string source) => mediaType switch
    {
        MediaTypes.OciManifest => OciJson.Serialize(OciJson.DeserializeManifest(bytes, source)),
        MediaTypes.OciIndex => OciJson.Serialize(OciJson.DeserializeIndex(bytes, source)),
        MediaTypes.OciConfig => OciJson.Serialize(OciJson.DeserializeConfig(bytes, source)),
        MediaTypes.OciLayoutHeader => OciJson.Serialize(OciJson.DeserializeLayoutHeader(bytes, source)),
        MediaTypes.OciDescriptor => OciJson.Serialize(OciJson.DeserializeDescriptor(bytes, source)),
        _ => throw new ArgumentException(mediaType, nameof(mediaType)),
    };

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Valid_document_round_trips_through_our_records(string id, string mediaType)
    {
        var once = RoundTrip(mediaType, Load(id), id);
        var twice = RoundTrip(mediaType, once, id);

        Assert.Equal(Encoding.UTF8.GetString(once), Encoding.UTF8.GetString(twice));
    }

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void What_we_write_for_a_valid_document_still_validates(string id, string mediaType)
    {
        var written = RoundTrip(mediaType, Load(id), id);

        var errors = SpecValidation.Validate(mediaType, written);

        Assert.True(errors.Count == 0, $"{id}: {string.Join("; ", errors)}\n{Encoding.UTF8.GetString(written)}");
    }

    [Fact]
    public void Manifest_example_is_written_byte_for_byte_as_the_spec_orders_it()
    {
        var original = File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, "examples", "manifest", "01-manifest.json"));
        using var document = JsonDocument.Parse(original);
        using var compact = new MemoryStream();
        using (var writer = new Utf8JsonWriter(compact, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);

        var ours = OciJson.Serialize(OciJson.DeserializeManifest(original, "01-manifest.json"));

        Assert.Equal(Encoding.UTF8.GetString(compact.ToArray()), Encoding.UTF8.GetString(ours));
    }
}
