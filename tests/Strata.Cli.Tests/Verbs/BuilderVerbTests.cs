using Strata.Cli.Verbs;
using Strata.Core;

namespace Strata.Cli.Tests.Verbs;

/// <summary>builder prune's size and duration arguments, read as docker reads them.</summary>
public sealed class BuilderVerbTests
{
    [Theory]
    [InlineData("100", 100)]
    [InlineData("1k", 1024)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("1.5gb", 3L << 29)]
    [InlineData("2GiB", 2L << 30)]
    public void Keep_storage_sizes_are_1024_based(string text, long bytes) => Assert.Equal(bytes, BuilderVerb.ParseSize(text));

    [Theory]
    [InlineData("24h", 24 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("45s", 45)]
    public void Until_takes_go_durations(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), BuilderVerb.ParseDuration(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("12parsecs")]
    public void A_bad_size_is_an_error_naming_it(string text) =>
        Assert.Contains(text, Assert.Throws<InvalidArgumentException>(() => BuilderVerb.ParseSize(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("soon")]
    [InlineData("3d")]
    [InlineData("")]
    public void A_bad_duration_is_an_error(string text) => Assert.Throws<InvalidArgumentException>(() => BuilderVerb.ParseDuration(text));
}
