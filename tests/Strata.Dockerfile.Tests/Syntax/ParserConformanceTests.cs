using System.Text;
using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Tests.Syntax;

/// <summary>BuildKit's parser testfiles: same tree dump, same failures, same line ranges.</summary>
public sealed class ParserConformanceTests
{
    private static string ParserDir => Path.Combine(RepoPaths.Conformance, "moby-buildkit", "frontend", "dockerfile", "parser");

    public static TheoryData<string> PositiveCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(ParserDir, "testfiles")).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    public static TheoryData<string> NegativeCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(ParserDir, "testfiles-negative")).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(PositiveCases))]
    public void Positive_case_dumps_exactly_the_expected_tree(string name)
    {
        var dir = Path.Combine(ParserDir, "testfiles", name);
        var text = File.ReadAllText(Path.Combine(dir, "Dockerfile"), new UTF8Encoding(false));
        var expected = File.ReadAllText(Path.Combine(dir, "result"), new UTF8Encoding(false));
        var result = DockerfileParser.Parse(text);
        Assert.Equal(expected, result.Root.Dump() + "\n");
    }

    [Theory]
    [MemberData(nameof(NegativeCases))]
    public void Negative_case_is_rejected_with_a_located_error(string name)
    {
        var text = File.ReadAllText(Path.Combine(ParserDir, "testfiles-negative", name, "Dockerfile"), new UTF8Encoding(false));
        var ex = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text));
        Assert.StartsWith("Dockerfile:", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Position);
    }

    [Fact]
    public void Line_ranges_cover_continuations_and_blank_lines()
    {
        var text = File.ReadAllText(Path.Combine(ParserDir, "testfile-line", "Dockerfile"), new UTF8Encoding(false));
        var root = DockerfileParser.Parse(text).Root;
        Assert.Equal((5, 31), (root.StartLine, root.EndLine));
        Assert.Equal(3, root.Children.Count);
        Assert.Equal(new[] { (5, 5), (11, 12), (17, 31) }, root.Children.Select(c => (c.StartLine, c.EndLine)));
    }
}
