using Strata.Core;
using Strata.Images.Transfer;
using Strata.Oci;
using Strata.Registry.Push;
using Strata.Registry.Tests.Fixtures;
using Strata.Registry.Transport;

namespace Strata.Registry.Tests.Push;

/// <summary>An index-shaped image: its children first (by digest), then the index under the tag.</summary>
[Collection(RegistryGroup.Name)]
public sealed class IndexPushTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task An_index_is_pushed_after_its_children_and_skopeo_reads_it_back_byte_for_byte()
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var amd64 = builder.Image("amd64", [new Dictionary<string, string> { ["arch"] = "amd64\n" }]);
        var arm64 = builder.Image("arm64", [new Dictionary<string, string> { ["arch"] = "arm64\n" }]);
        var (indexDigest, indexSize) = builder.Index([(amd64, "amd64"), (arm64, "arm64")]);
        builder.Tag("multi", MediaTypes.OciIndex, indexDigest, indexSize);

        var source = new OciLayoutSource(layout, layout, 4 << 20);
        var index = new Descriptor(MediaTypes.OciIndex, Digest.Parse(indexDigest), indexSize);
        var indexBytes = await source.ReadDocumentAsync(index, CancellationToken.None);
        var target = ImageReference.Parse($"{registry.Host}/index/pushed:multi");
        using var client = new RegistryClient(new RegistryOptions());
        var sink = new RegistrySink(client, target, new PushOptions(), null);
        foreach (var child in ImageDocuments.ParseIndex(index, indexBytes, "test").Manifests)
            await ImagePusher.PushAsync(source, child, [], sink, new PushOptions(), CancellationToken.None);
        await sink.WriteIndexAsync(index, indexBytes, [target], CancellationToken.None);

        var (digest, document) = await Skopeo.RawAsync(target.ToString());
        Assert.Equal(indexDigest, digest);
        Assert.Equal(
            [amd64.ManifestDigest, arm64.ManifestDigest],
            document["manifests"]!.AsArray().Select(m => (string?)m!["digest"]));
        var arm = await Tool.OkAsync(Tool.Skopeo, "inspect", "--tls-verify=false", "--override-arch", "arm64", "--config", "--raw", "docker://" + target);
        Assert.Contains("\"architecture\":\"arm64\"", arm);
    }
}
