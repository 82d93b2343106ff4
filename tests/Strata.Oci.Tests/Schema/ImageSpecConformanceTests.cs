using System.Text;
using System.Text.Json;
using Strata.Core;

namespace Strata.Oci.Tests.Schema;

/// <summary>The image-spec's own examples and schema test tables, judged by schema + <see cref="SpecRules"/>.</summary>
public sealed class ImageSpecConformanceTests
{
    private sealed record Case(string File, int Index, string Validator, bool ExpectValid, string Document, string? DigestOfDocument, string Comment);

    private static readonly Lazy<List<Case>> Cases = new(LoadCases);

    private static List<Case> LoadCases()
    {
        var cases = new List<Case>();
        foreach (var file in Directory.GetFiles(Path.Combine(SpecValidation.ImageSpec, "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            int i = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                cases.Add(new Case(
                    Path.GetFileName(file), i++,
                    item.GetProperty("validator").GetString()!,
                    item.GetProperty("expectValid").GetBoolean(),
                    item.GetProperty("document").GetString()!,
                    item.TryGetProperty("digestOfDocument", out var d) ? d.GetString() : null,
                    item.GetProperty("comment").GetString()!));
            }
        }
        return cases;
    }

    public static TheoryData<string, int> CaseIds()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in Cases.Value) data.Add(c.File, c.Index);
        return data;
    }

    public static TheoryData<int> BackwardsCompatibilityCases()
    {
        var data = new TheoryData<int>();
        foreach (var c in Cases.Value.Where(c => c.File == "backwards_compatibility.json")) data.Add(c.Index);
        return data;
    }

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, "examples", "index.json")));
        foreach (var item in index.RootElement.EnumerateArray())
            data.Add(item.GetProperty("file").GetString()!, item.GetProperty("mediaType").GetString()!);
        return data;
    }

    [Fact]
    public void The_case_tables_hold_all_71_upstream_cases()
    {
        Assert.Equal(71, Cases.Value.Count);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Spec_example_validates_against_the_schema_of_its_media_type(string file, string mediaType)
    {
        var errors = SpecValidation.Validate(mediaType, File.ReadAllBytes(Path.Combine(SpecValidation.ImageSpec, file)));

        Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_is_judged_as_upstream_expects(string file, int index)
    {
        var c = Cases.Value.Single(x => x.File == file && x.Index == index);
        var document = c.Document;
        if (c.DigestOfDocument is not null)
        {
            Assert.Equal(c.DigestOfDocument, Digest.Compute(Encoding.UTF8.GetBytes(document)).Value);
            document = DockerToOci(document);
        }

        var errors = SpecValidation.Validate(c.Validator, Encoding.UTF8.GetBytes(document));

        Assert.True(c.ExpectValid == (errors.Count == 0),
            $"{file}[{index}] \"{c.Comment}\": expected {(c.ExpectValid ? "valid" : "invalid")}, got {(errors.Count == 0 ? "valid" : string.Join("; ", errors))}");
    }

    [Theory]
    [InlineData("descriptor.json", 15, "lower-case hex")]
    [InlineData("descriptor.json", 17, "absolute URI")]
    [InlineData("descriptor.json", 29, "padded base64")]
    [InlineData("config.json", 9, "NAME=value")]
    public void The_four_cases_schemas_miss_are_caught_by_SpecRules(string file, int index, string why)
    {
        var c = Cases.Value.Single(x => x.File == file && x.Index == index);
        using var document = JsonDocument.Parse(c.Document);

        var problems = SpecRules.Check(c.Validator, document.RootElement);

        Assert.False(c.ExpectValid);
        Assert.Empty(SpecValidation.ValidateSchemaOnly(c.Validator, document.RootElement));
        Assert.NotEmpty(problems);
        Assert.True(problems.Any(p => p.Contains(why, StringComparison.Ordinal) || p.Contains("not a valid digest", StringComparison.Ordinal)), string.Join("; ", problems));
    }

    [Fact]
    public void Data_that_does_not_match_its_digest_breaks_SpecRules()
    {
        using var document = JsonDocument.Parse("""{"mediaType":"text/plain","size":2,"data":"e30=","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}""");

        var problems = SpecRules.Check(MediaTypes.OciDescriptor, document.RootElement);

        Assert.Contains(problems, p => p.Contains("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BackwardsCompatibilityCases))]
    public void Docker_schema2_backwards_compatibility_documents_parse_as_our_records(int index)
    {
        const string file = "backwards_compatibility.json";
        var c = Cases.Value.Single(x => x.File == file && x.Index == index);
        var bytes = Encoding.UTF8.GetBytes(c.Document);

        switch (c.Validator)
        {
            case MediaTypes.OciIndex:
                var list = OciJson.DeserializeIndex(bytes, file);
                Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
                Assert.All(list.Manifests, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
                Assert.Contains(list.Manifests, m => m.Platform is { Architecture: "arm", Variant: "v7" });
                break;
            case MediaTypes.OciManifest:
                var manifest = OciJson.DeserializeManifest(bytes, file);
                Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
                Assert.Equal(4, manifest.Layers.Count);
                Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
                break;
            default:
                var config = OciJson.DeserializeConfig(bytes, file);
                Assert.Equal("amd64", config.Architecture);
                Assert.NotEmpty(config.RootFs.DiffIds);
                Assert.Equal(config.RootFs.DiffIds.Count, config.History!.Count(h => !h.EmptyLayer));
                break;
        }
    }

    internal static string DockerToOci(string document) => document
        .Replace(MediaTypes.DockerManifestList, MediaTypes.OciIndex, StringComparison.Ordinal)
        .Replace(MediaTypes.DockerManifest, MediaTypes.OciManifest, StringComparison.Ordinal)
        .Replace(MediaTypes.DockerLayerGzip, MediaTypes.OciLayerGzip, StringComparison.Ordinal)
        .Replace(MediaTypes.DockerConfig, MediaTypes.OciConfig, StringComparison.Ordinal);
}
