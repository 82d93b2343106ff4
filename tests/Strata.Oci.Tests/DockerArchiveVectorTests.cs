using System.Formats.Tar;
using Strata.Core;

namespace Strata.Oci.Tests;

/// <summary><c>manifest.json</c> and <c>repositories</c> from go-containerregistry's docker-save archives.</summary>
public sealed class DockerArchiveVectorTests
{
    private static readonly string Vectors = Path.Combine(RepoPaths.Conformance, "google-go-containerregistry", "pkg", "v1", "tarball", "testdata");

    private static Dictionary<string, byte[]> ReadTar(string name)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var stream = File.OpenRead(Path.Combine(Vectors, name));
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            files[entry.Name.TrimStart('.', '/')] = data.ToArray();
        }
        return files;
    }

    [Theory]
    [InlineData("test_image_1.tar", 1)]
    [InlineData("test_image_2.tar", 1)]
    [InlineData("test_bundle.tar", 2)]
    [InlineData("test_link.tar", 2)]
    [InlineData("test_load_manifest.tar", 1)]
    [InlineData("hello-world-v25.tar", 1)]
    public void Manifest_json_parses_and_names_files_in_the_archive(string archive, int images)
    {
        var files = ReadTar(archive);

        var entries = OciJson.DeserializeDockerArchiveManifest(files["manifest.json"], archive);

        Assert.Equal(images, entries.Count);
        foreach (var entry in entries)
        {
            Assert.Contains(entry.Config, files.Keys);
            Assert.All(entry.Layers, layer => Assert.Contains(layer, files.Keys));
        }
        var again = OciJson.DeserializeDockerArchiveManifest(OciJson.Serialize(entries), archive);
        Assert.Equal(entries.SelectMany(e => e.Layers), again.SelectMany(e => e.Layers));
    }

    [Fact]
    public void Parent_and_layer_sources_are_read()
    {
        var link = OciJson.DeserializeDockerArchiveManifest(ReadTar("test_link.tar")["manifest.json"], "test_link.tar");
        var v25 = OciJson.DeserializeDockerArchiveManifest(ReadTar("hello-world-v25.tar")["manifest.json"], "hello-world-v25.tar");

        Assert.Equal(Digest.Parse("sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e"), link[1].Parent);
        Assert.Null(v25[0].RepoTags);
        var source = Assert.Single(v25[0].LayerSources!);
        Assert.Equal(MediaTypes.OciLayer, source.Value.MediaType);
        Assert.Equal(10752, source.Value.Size);
    }

    [Fact]
    public void Repositories_file_maps_repository_and_tag_to_the_top_layer_id()
    {
        var repositories = OciJson.DeserializeRepositories(ReadTar("test_bundle.tar")["repositories"], "test_bundle.tar");

        Assert.Equal("555b1001d54ed229f56990845856f080b0707348b26b3aa85aaf58d5570cdee0", repositories["test_image_1"]["latest"]);
        Assert.Equal("8e17bd53a9cb6d38a0c7d21e8a0f943449f494aa0c3de2425a3dd9be8844a19b", repositories["test_image_2"]["latest"]);
    }

    [Fact]
    public void A_null_manifest_json_is_rejected()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeDockerArchiveManifest(ReadTar("null_manifest.tar")["manifest.json"], "null_manifest.tar"));

        Assert.Contains("null_manifest.tar", error.Message, StringComparison.Ordinal);
    }
}
