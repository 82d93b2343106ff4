using System.Text.RegularExpressions;
using Strata.Tests;

namespace Strata.Architecture.Tests;

/// <summary>
/// What the project references cannot show: rules over the source text of each room (DESIGN.md,
/// "Rooms"). The Dockerfile front end is pure (no disk, no network, no process, no environment),
/// and nothing but the CLI names the CLI's namespace.
/// </summary>
public sealed class SourceRulesTests
{
    internal static readonly SourceRule DockerfileIsPure = new(
        "the Dockerfile front end does no I/O",
        ["Strata.Dockerfile"],
        new Regex(@"\b(File|Directory|FileInfo|DirectoryInfo|DriveInfo|FileStream|StreamReader|StreamWriter|FileSystemWatcher|HttpClient|Socket|TcpClient)\s*[.(]|\bSystem\.(IO\.File|Net|Diagnostics\.Process)\b|\bProcess\.Start\b|\bEnvironment\.(GetEnvironmentVariable|CurrentDirectory)\b|\bnew\s+(FileStream|StreamReader|StreamWriter|HttpClient|Process)\b"),
        "Strata.Dockerfile is text in, typed instructions out (DESIGN.md: PURE)");

    internal static readonly SourceRule NothingNamesTheCli = new(
        "no room names the CLI",
        ["*"],
        new Regex(@"\b(using\s+Strata\.Cli\b|Strata\.Cli\.)"),
        "the CLI is the composition root; nothing references it");

    private static readonly SourceRule[] Rules = [DockerfileIsPure, NothingNamesTheCli];

    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Rules) data.Add(rule.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Sources_keep_the_rule(string name)
    {
        var rule = Rules.Single(r => r.Name == name);
        var violations = SourceFiles(rule).SelectMany(f => rule.Violations(Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f))).ToList();
        Assert.True(violations.Count == 0, $"{rule.Name} ({rule.Why}):\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void Every_rule_covers_source_files_that_exist()
    {
        foreach (var rule in Rules) Assert.NotEmpty(SourceFiles(rule));
    }

    // The rules' own tests: each catches a planted violation and lets comments through.

    [Theory]
    [InlineData("var text = File.ReadAllText(path);")]
    [InlineData("using var s = new FileStream(p, FileMode.Open);")]
    [InlineData("var home = Environment.GetEnvironmentVariable(\"HOME\");")]
    [InlineData("Process.Start(\"sh\");")]
    [InlineData("var ok = Directory.Exists(dir); // checks")]
    public void The_purity_rule_catches_io(string line)
    {
        Assert.Equal([$"Planted.cs:2: {line}"], DockerfileIsPure.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("/// <summary>Never reads a File.</summary> File.ReadAllText is not used here")]
    [InlineData("// File.ReadAllText(path) would break purity")]
    [InlineData("/* Directory.Exists(x) */ var n = 1;")]
    [InlineData("var s = \"http://a\"; // File.Open")]
    [InlineData("string FileName = at.FileName;")]
    public void The_purity_rule_ignores_comments_and_lookalikes(string line)
    {
        Assert.Empty(DockerfileIsPure.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Fact]
    public void The_cli_rule_catches_a_using_of_the_cli()
    {
        Assert.Equal(["Planted.cs:1: using Strata.Cli.Formatting;"], NothingNamesTheCli.Violations("Planted.cs", "using Strata.Cli.Formatting;\n"));
    }

    private static IEnumerable<string> SourceFiles(SourceRule rule)
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        var rooms = rule.Rooms.Contains("*")
            ? Directory.GetDirectories(src).Select(Path.GetFileName).Where(r => r != "Strata.Cli")
            : rule.Rooms;
        return rooms.SelectMany(room => Directory.EnumerateFiles(Path.Combine(src, room!), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
