namespace Strata.Core.Tests;

/// <summary>docker's RAMInBytes, shared by --keep-storage, --shm-size and --mount size=.</summary>
public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("100", 100L)]
    [InlineData("512k", 512L << 10)]
    [InlineData("100MB", 100L << 20)]
    [InlineData("1.5gb", 3L << 29)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("1 t", 1L << 40)]
    [InlineData("1p", 1L << 50)]
    [InlineData("7b", 7L)]
    public void Reads_sizes_1024_based_with_any_suffix_case(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("12parsecs")]
    [InlineData("-1m")]
    [InlineData("10x")]
    [InlineData("99999999999p")]
    public void Refuses_what_is_not_a_size(string text) => Assert.False(ByteSize.TryParse(text, out _));
}
