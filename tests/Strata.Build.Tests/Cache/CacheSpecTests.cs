using Strata.Build.Cache;
using Strata.Core;

namespace Strata.Build.Tests.Cache;

/// <summary>Parsing --cache-to and --cache-from values.</summary>
public sealed class CacheSpecTests
{
    [Fact]
    public void Cache_to_defaults_to_min_without_mounts()
    {
        var spec = CacheExportSpec.Parse("type=local,dest=/tmp/c");
        Assert.Equal(new CacheExportSpec("/tmp/c", CacheExportMode.Min, false), spec);
    }

    [Fact]
    public void Cache_to_reads_mode_and_mounts_and_makes_dest_absolute()
    {
        var spec = CacheExportSpec.Parse("dest=rel,mode=max,mounts=true");
        Assert.Equal(new CacheExportSpec(Path.GetFullPath("rel"), CacheExportMode.Max, true), spec);
    }

    [Theory]
    [InlineData("type=local,dest=/x,colour=red", "unknown field \"colour\"")]
    [InlineData("type=local,dest=/x,dest=/y", "field \"dest\" is given twice")]
    [InlineData("type=gha", "unknown cache type \"gha\"")]
    [InlineData("type=local,dest=/x,mounts=yes", "mounts must be true or false")]
    [InlineData("type=inline,mode=max", "type=inline takes no other fields")]
    [InlineData("type=local,dest=/x,compression=lz4", "compression \"lz4\": use gzip, zstd or uncompressed")]
    [InlineData("type=local,dest=/x,compression-level=high", "compression-level must be a number, not \"high\"")]
    [InlineData("type=local,dest=/x,compression=gzip,compression-level=10", "--compression-level 10: out of range 0-9 for gzip")]
    public void Bad_cache_to_values_name_the_problem(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidArgumentException>(() => CacheExportSpec.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Cache_to_reads_compression_as_buildx_spells_it_and_defaults_to_gzip_6()
    {
        var zstd = CacheExportSpec.Parse("type=local,dest=/tmp/c,compression=zstd,compression-level=5").Compression;
        var plain = CacheExportSpec.Parse("type=local,dest=/tmp/c,compression=uncompressed").Compression;
        var byDefault = CacheExportSpec.Parse("type=local,dest=/tmp/c").Compression;

        Assert.Equal((Strata.Archive.LayerCompression.Zstd, 5), (zstd.Compression, zstd.EffectiveLevel));
        Assert.Equal(Strata.Archive.LayerCompression.None, plain.Compression);
        Assert.Equal((Strata.Archive.LayerCompression.Gzip, 6), (byDefault.Compression, byDefault.EffectiveLevel));
    }

    [Fact]
    public void Inline_is_told_apart_from_a_local_export()
    {
        Assert.True(CacheExportSpec.IsInline("type=inline"));
        Assert.False(CacheExportSpec.IsInline("type=local,dest=/x"));
        Assert.Equal(new CacheImportSpec(null, "app:1"), CacheImportSpec.Parse("app:1"));
    }

    [Fact]
    public void Cache_from_reads_src()
    {
        Assert.Equal(new CacheImportSpec("/tmp/c"), CacheImportSpec.Parse("type=local,src=/tmp/c"));
        Assert.Contains("needs src=DIR", Assert.Throws<InvalidArgumentException>(() => CacheImportSpec.Parse("type=local")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_to_registry_reads_ref_mode_and_compression_and_defaults_the_tag_to_latest()
    {
        var spec = CacheExportSpec.Parse("type=registry,ref=127.0.0.1:5000/cache,mode=max,compression=zstd,image-manifest=true,oci-mediatypes=true");

        Assert.Equal("127.0.0.1:5000/cache:latest", spec.Destination);
        Assert.Equal(ImageReference.Parse("127.0.0.1:5000/cache:latest"), spec.Registry);
        Assert.Equal(CacheExportMode.Max, spec.Mode);
        Assert.Equal(Strata.Archive.LayerCompression.Zstd, spec.Compression.Compression);
        Assert.Null(CacheExportSpec.Parse("type=local,dest=/tmp/c").Registry);
    }

    [Fact]
    public void Cache_from_registry_keeps_a_tag_or_digest_and_several_kinds_parse_alike()
    {
        var tagged = CacheImportSpec.Parse("type=registry,ref=example.com/team/cache:main");
        var pinned = CacheImportSpec.Parse("type=registry,ref=example.com/c@sha256:" + new string('a', 64));

        Assert.Equal(new CacheImportSpec("example.com/team/cache:main") { Registry = ImageReference.Parse("example.com/team/cache:main") }, tagged);
        Assert.Null(pinned.Registry!.Tag);
        Assert.Equal("sha256:" + new string('a', 64), pinned.Registry.Digest.ToString());
    }

    [Theory]
    [InlineData("type=registry", "type=registry needs ref=REPOSITORY[:TAG]")]
    [InlineData("type=registry,ref=r/Upper", "repository name must be lowercase")]
    [InlineData("type=registry,ref=r/c,dest=/x", "unknown field \"dest\"")]
    [InlineData("type=local,dest=/x,ref=r/c", "unknown field \"ref\"")]
    [InlineData("type=local,dest=/x,image-manifest=true", "unknown field \"image-manifest\"")]
    [InlineData("type=registry,ref=r/c,image-manifest=false", "image-manifest=false is not supported: Strata stores a registry cache as one OCI image manifest")]
    [InlineData("type=registry,ref=r/c@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ref names a digest: a cache is pushed under a tag")]
    public void Bad_registry_cache_to_values_name_the_problem(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidArgumentException>(() => CacheExportSpec.Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("type=registry", "type=registry needs ref=REPOSITORY[:TAG]")]
    [InlineData("type=registry,ref=r/c,mode=max", "unknown field \"mode\"")]
    [InlineData("type=s3,ref=r/c", "unknown cache type \"s3\": use type=local, type=registry or an image name")]
    public void Bad_registry_cache_from_values_name_the_problem(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidArgumentException>(() => CacheImportSpec.Parse(text)).Message, StringComparison.Ordinal);
}
