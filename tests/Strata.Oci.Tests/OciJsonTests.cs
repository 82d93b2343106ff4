using System.Text;
using Strata.Core;

namespace Strata.Oci.Tests;

public sealed class OciJsonTests
{
    [Fact]
    public void A_wrongly_typed_field_fails_with_an_error_naming_the_document_and_the_field()
    {
        var bytes = """{"architecture":"amd64","os":123,"rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();

        var error = Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeConfig(bytes, "sha256:abc-config"));

        Assert.Contains("image config sha256:abc-config", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.os", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_without_config_is_rejected()
    {
        var bytes = """{"schemaVersion":2,"layers":[]}"""u8.ToArray();

        var error = Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeManifest(bytes, "m.json"));

        Assert.Contains("image manifest m.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_digest_inside_a_document_is_rejected_with_its_text()
    {
        var bytes = """{"mediaType":"a/b","size":1,"digest":"sha256:NOTHEX"}"""u8.ToArray();

        var error = Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeDescriptor(bytes, "d.json"));

        Assert.Contains("sha256:NOTHEX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_and_json_null_are_rejected()
    {
        Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeIndex("not json"u8, "i.json"));
        var error = Assert.Throws<InvalidArgumentException>(() => OciJson.DeserializeIndex("null"u8, "i.json"));
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_archive_manifest_and_repositories_round_trip()
    {
        var json = """[{"Config":"blobs/sha256/aa.json","RepoTags":["busybox:latest"],"Layers":["blobs/sha256/bb"],"LayerSources":{"sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17":{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17","size":5,"urls":["https://example.com/l"]}}},{"Config":"cc.json","RepoTags":null,"Layers":[]}]""";

        var entries = OciJson.DeserializeDockerArchiveManifest(Encoding.UTF8.GetBytes(json), "manifest.json");
        var repositories = OciJson.DeserializeRepositories("""{"busybox":{"latest":"0123abcd"}}"""u8, "repositories");

        Assert.Equal(2, entries.Count);
        Assert.Equal(["busybox:latest"], entries[0].RepoTags!);
        Assert.Null(entries[1].RepoTags);
        Assert.Single(entries[0].LayerSources!);
        Assert.Equal(json.Replace(",\"RepoTags\":null", "", StringComparison.Ordinal), Encoding.UTF8.GetString(OciJson.Serialize(entries)));
        Assert.Equal("0123abcd", repositories["busybox"]["latest"]);
        Assert.Equal("""{"busybox":{"latest":"0123abcd"}}""", Encoding.UTF8.GetString(OciJson.SerializeRepositories(repositories)));
    }
}
