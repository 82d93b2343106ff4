using System.Text;
using System.Text.Json;
using Strata.Core;

namespace Strata.Oci.Tests;

/// <summary>
/// The image-spec's rules against documents that could be read as a manifest and as an index
/// (GHSA-77vh-xpmg-72qh): the spec's own examples pass under their media type and fail under the
/// other kind's; hand-made ambiguous documents are refused with one line naming them.
/// </summary>
public sealed class DocumentKindTests
{
    private const string Manifest = MediaTypes.OciManifest;
    private const string Index = MediaTypes.OciIndex;
    private static readonly string Examples = Path.Combine(RepoPaths.Conformance, "opencontainers-image-spec");

    public static TheoryData<string, string> SpecExamples()
    {
        var data = new TheoryData<string, string>();
        using var list = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Examples, "examples", "index.json")));
        foreach (var item in list.RootElement.EnumerateArray())
        {
            var type = item.GetProperty("mediaType").GetString()!;
            if (type is Manifest or Index) data.Add(item.GetProperty("file").GetString()!, type);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void A_spec_example_is_unambiguous_as_its_own_kind_and_refused_as_the_other(string file, string mediaType)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Examples, file));

        Assert.Empty(DocumentKind.Check(mediaType, bytes));
        var other = mediaType == Manifest ? Index : Manifest;
        var problems = DocumentKind.Check(other, bytes);
        Assert.NotEmpty(problems);
        Assert.Contains($"says its mediaType is \"{mediaType}\" but its descriptor says \"{other}\"", problems);
    }

    public static TheoryData<string, int> ValidSpecCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in (string[])["manifest.json", "imageindex.json"])
        {
            using var cases = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Examples, "cases", file)));
            int i = 0;
            foreach (var item in cases.RootElement.EnumerateArray())
            {
                if (item.GetProperty("expectValid").GetBoolean()) data.Add(file, i);
                i++;
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidSpecCases))]
    public void Every_valid_spec_case_is_unambiguous(string file, int number)
    {
        using var cases = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Examples, "cases", file)));
        var item = cases.RootElement[number];

        Assert.Empty(DocumentKind.Check(item.GetProperty("validator").GetString()!, Encoding.UTF8.GetBytes(item.GetProperty("document").GetString()!)));
    }

    [Theory]
    [InlineData(Manifest, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[],"manifests":[]}""", "carries both \"layers\" and \"manifests\"")]
    [InlineData(Manifest, """{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json"}]}""", "is a manifest carrying \"manifests\"")]
    [InlineData(Manifest, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","config":{},"layers":[]}""", "says its mediaType is \"application/vnd.oci.image.index.v1+json\" but its descriptor says \"application/vnd.oci.image.manifest.v1+json\"")]
    [InlineData(Manifest, """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{},"layers":[]}""", "says its mediaType is \"application/vnd.docker.distribution.manifest.v2+json\" but its descriptor says \"application/vnd.oci.image.manifest.v1+json\"")]
    [InlineData(Index, """{"schemaVersion":2,"manifests":[],"layers":[]}""", "is an index carrying \"layers\"")]
    [InlineData(Index, """{"schemaVersion":2,"manifests":[],"config":{"mediaType":"application/vnd.oci.image.config.v1+json"}}""", "is an index carrying \"config\"")]
    [InlineData(MediaTypes.DockerManifest, """{"schemaVersion":1,"fsLayers":[{"blobSum":"sha256:a"}]}""", "is a schema 1 manifest (fsLayers), which is not supported")]
    public void An_ambiguous_document_is_named_for_what_makes_it_so(string mediaType, string json, string problem)
    {
        Assert.Equal([problem], DocumentKind.Check(mediaType, Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void An_index_with_both_config_and_layers_lists_both()
    {
        var problems = DocumentKind.Check(Index, """{"schemaVersion":2,"manifests":[],"config":{},"layers":[]}"""u8);

        Assert.Equal(["is an index carrying \"config\"", "is an index carrying \"layers\""], problems);
    }

    [Theory]
    [InlineData(Manifest, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[],"manifests":null}""")]
    [InlineData(MediaTypes.DockerManifest, """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{},"layers":[]}""")]
    [InlineData(MediaTypes.DockerManifestList, """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}""")]
    [InlineData(Index, """{"schemaVersion":2,"manifests":[]}""")]
    [InlineData(MediaTypes.OciConfig, """{"layers":[],"manifests":[]}""")]
    public void A_document_of_one_kind_passes(string mediaType, string json)
    {
        Assert.Empty(DocumentKind.Check(mediaType, Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Validate_throws_one_line_naming_the_document()
    {
        var bytes = """{"schemaVersion":2,"config":{},"layers":[],"manifests":[]}"""u8.ToArray();
        var descriptor = new Descriptor(Manifest, Digest.Compute(bytes), bytes.Length);

        var ex = Assert.Throws<InvalidArgumentException>(() => DocumentKind.Validate(descriptor, bytes, "x.tar"));

        Assert.Equal($"x.tar: manifest {descriptor.Digest} is ambiguous: it carries both \"layers\" and \"manifests\"", ex.Message);
    }
}
