using Strata.Cli.Formatting;

namespace Strata.Cli.Tests.Formatting;

public sealed class TabWriterTests
{
    [Fact]
    public void Columns_are_padded_by_three_with_a_minimum_of_ten()
    {
        var text = "IMAGE\tCREATED\tSIZE\nabc\t2 minutes ago\t8B";
        var expected = "IMAGE     CREATED         SIZE\nabc       2 minutes ago   8B";
        Assert.Equal(expected, TabWriter.Align(text));
    }
}
