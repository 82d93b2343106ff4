using Strata.Core;

namespace Strata.Oci.Tests;

public sealed class ImageValidatorTests
{
    private static readonly byte[] ConfigBytes = OciJson.Serialize(OurDocumentsTests.FullConfig());

    [Fact]
    public void Consistent_manifest_and_config_have_no_problems()
    {
        var manifest = OurDocumentsTests.ManifestFor(ConfigBytes);

        Assert.Empty(ImageValidator.Check(manifest, OurDocumentsTests.FullConfig()));
        Assert.Empty(ImageValidator.Check(manifest, ConfigBytes));
        ImageValidator.Validate(manifest, OurDocumentsTests.FullConfig());
    }

    [Fact]
    public void Diff_id_count_must_equal_layer_count()
    {
        var manifest = OurDocumentsTests.ManifestFor(ConfigBytes);
        manifest = manifest with { Layers = manifest.Layers.Take(1).ToList() };

        var problems = ImageValidator.Check(manifest, OurDocumentsTests.FullConfig());

        Assert.Contains(problems, p => p.Contains("2 diff IDs but the manifest has 1 layers", StringComparison.Ordinal));
        Assert.Throws<InvalidArgumentException>(() => ImageValidator.Validate(manifest, OurDocumentsTests.FullConfig()));
    }

    [Fact]
    public void Unknown_media_types_and_negative_sizes_are_reported()
    {
        var manifest = OurDocumentsTests.ManifestFor(ConfigBytes);
        manifest = manifest with
        {
            Config = manifest.Config with { MediaType = "application/octet-stream" },
            Layers = [manifest.Layers[0] with { MediaType = "text/plain" }, manifest.Layers[1] with { Size = -1 }],
        };

        var problems = ImageValidator.Check(manifest, OurDocumentsTests.FullConfig());

        Assert.Contains(problems, p => p.Contains("config mediaType \"application/octet-stream\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("layers[0] mediaType \"text/plain\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("layers[1]", StringComparison.Ordinal) && p.Contains("negative", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_descriptor_must_match_the_config_blob()
    {
        var manifest = OurDocumentsTests.ManifestFor(ConfigBytes);
        manifest = manifest with { Config = manifest.Config with { Digest = Digest.Compute("other"u8), Size = 3 } };

        var problems = ImageValidator.Check(manifest, ConfigBytes);

        Assert.Contains(problems, p => p.Contains("the manifest says 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("config blob has digest " + Digest.Compute(ConfigBytes), StringComparison.Ordinal));
    }

    [Fact]
    public void History_must_have_one_non_empty_entry_per_layer()
    {
        var config = OurDocumentsTests.FullConfig();
        config = config with { History = config.History!.Take(2).ToList() };

        var problems = ImageValidator.Check(OurDocumentsTests.ManifestFor(ConfigBytes), config);

        Assert.Contains(problems, p => p.Contains("history has 1 entries with a layer", StringComparison.Ordinal));
    }

    [Fact]
    public void Docker_schema2_images_validate()
    {
        var config = OurDocumentsTests.FullConfig();
        var manifest = OurDocumentsTests.ManifestFor(ConfigBytes);
        manifest = manifest with
        {
            MediaType = MediaTypes.DockerManifest,
            Config = manifest.Config with { MediaType = MediaTypes.DockerConfig },
            Layers = manifest.Layers.Select(l => l with { MediaType = MediaTypes.DockerLayerGzip }).ToList(),
        };

        Assert.Empty(ImageValidator.Check(manifest, config));
    }
}
