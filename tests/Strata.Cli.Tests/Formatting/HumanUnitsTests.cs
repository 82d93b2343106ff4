using Strata.Cli.Formatting;

namespace Strata.Cli.Tests.Formatting;

public sealed class HumanUnitsTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(8, "8B")]
    [InlineData(1000, "1kB")]
    [InlineData(1024, "1.02kB")]
    [InlineData(2_140_000, "2.14MB")]
    [InlineData(144_800_000, "145MB")]
    [InlineData(1_075_700_000, "1.08GB")]
    [InlineData(999_700, "1e+03kB")]
    public void Size_matches_docker_precision_three(long bytes, string expected)
    {
        Assert.Equal(expected, HumanUnits.Size(bytes));
    }

    [Theory]
    [InlineData(1000, "1kB")]
    [InlineData(1024, "1.024kB")]
    [InlineData(1_048_576, "1.049MB")]
    [InlineData(1_984_000, "1.984MB")]
    [InlineData(2_000_000, "2MB")]
    [InlineData(3_420_000_000, "3.42GB")]
    [InlineData(5_372_000_000_000, "5.372TB")]
    [InlineData(9_999_600, "10MB")]
    public void HumanSize_keeps_four_significant_digits_as_go_units_does(long bytes, string expected)
    {
        Assert.Equal(expected, HumanUnits.HumanSize(bytes));
    }

    [Theory]
    [InlineData(0.45, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(47, "47 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(35 * 60 + 40, "35 minutes")]
    [InlineData(3600 + 29 * 60, "About an hour")]
    [InlineData(3600 + 31 * 60, "2 hours")]
    [InlineData(36 * 3600, "36 hours")]
    [InlineData(13 * 86400 + 5 * 3600, "13 days")]
    [InlineData(30 * 86400, "4 weeks")]
    [InlineData(44 * 86400, "6 weeks")]
    [InlineData(24 * 30 * 86400, "24 months")]
    [InlineData(24 * 30 * 86400 + 14 * 86400, "2 years")]
    public void Duration_matches_go_units(double seconds, string expected)
    {
        Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Ellipsis_keeps_45_characters_ending_in_an_ellipsis()
    {
        var s = new string('a', 60);
        var cut = HumanUnits.Ellipsis(s, 45);
        Assert.Equal(45, cut.Length);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.Equal("short", HumanUnits.Ellipsis("short", 45));
    }
}
