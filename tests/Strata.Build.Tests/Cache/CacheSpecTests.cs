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
    public void Bad_cache_to_values_name_the_problem(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidArgumentException>(() => CacheExportSpec.Parse(text)).Message, StringComparison.Ordinal);

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
}
