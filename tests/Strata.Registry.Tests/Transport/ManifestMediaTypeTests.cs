using Strata.Core;
using Strata.Registry.Transport;

namespace Strata.Registry.Tests.Transport;

public sealed class ManifestMediaTypeTests
{
    private static readonly byte[] OciManifestBody = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"""u8.ToArray();

    [Theory]
    [InlineData("application/vnd.docker.distribution.manifest.v1+json")]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    public void Schema1_content_types_are_refused_by_name(string contentType)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ManifestMediaType.Resolve(contentType, """{"schemaVersion":1,"fsLayers":[]}"""u8, "r/x:1"));
        Assert.Equal($"r/x:1: the registry served a Docker schema 1 manifest ({contentType}), which is not supported: push the image again with a current docker, skopeo or strata", e.Message);
    }

    [Fact]
    public void A_manifest_content_type_is_the_registrys_word()
    {
        Assert.Equal(MediaTypes.DockerManifest, ManifestMediaType.Resolve(MediaTypes.DockerManifest, "{}"u8, "r"));
        Assert.Equal(MediaTypes.OciIndex, ManifestMediaType.Resolve(MediaTypes.OciIndex, "{}"u8, "r"));
    }

    [Fact]
    public void A_generic_content_type_defers_to_the_documents_own_media_type()
    {
        Assert.Equal(MediaTypes.OciManifest, ManifestMediaType.Resolve("application/json", OciManifestBody, "r"));
        Assert.Equal(MediaTypes.OciManifest, ManifestMediaType.Resolve(null, OciManifestBody, "r"));
    }

    [Fact]
    public void A_generic_content_type_without_a_media_type_in_the_body_is_refused()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ManifestMediaType.Resolve("application/json", """{"schemaVersion":2}"""u8, "r:1"));
        Assert.Equal("r:1: the registry served a document of type application/json that names no manifest or index media type", e.Message);
    }

    [Fact]
    public void A_non_manifest_content_type_is_refused()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ManifestMediaType.Resolve("text/html", OciManifestBody, "r:1"));
        Assert.Equal("r:1: the registry served text/html, which is not an image manifest or index", e.Message);
    }
}
