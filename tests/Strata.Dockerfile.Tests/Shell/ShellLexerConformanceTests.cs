using System.Text;
using Strata.Dockerfile;
using Strata.Dockerfile.Shell;

namespace Strata.Dockerfile.Tests.Shell;

/// <summary>BuildKit's shell lexer tables (envVarTest, wordsTest), consumed as the conformance README says.</summary>
public sealed class ShellLexerConformanceTests
{
    private static string ShellDir => Path.Combine(RepoPaths.Conformance, "moby-buildkit", "frontend", "dockerfile", "shell");

    public static TheoryData<int, string, string> EnvVarVectors()
    {
        var data = new TheoryData<int, string, string>();
        int lineNo = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(ShellDir, "envVarTest"), Encoding.UTF8))
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('|');
            if (parts.Length != 3) throw new InvalidDataException($"envVarTest:{lineNo}: expected 3 fields");
            var platform = parts[0].Trim();
            if (platform is not ("A" or "U")) continue;
            data.Add(lineNo, parts[1].Trim(), parts[2].Trim());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EnvVarVectors))]
    public void Every_envVarTest_vector_expands_like_BuildKit(int line, string input, string expected)
    {
        var env = new Dictionary<string, string> { ["PWD"] = "/home", ["SHELL"] = "bash", ["KOREAN"] = "한국어", ["NULL"] = "" };
        var lexer = new ShellLexer('\\');
        if (expected == "error")
        {
            Assert.Throws<DockerfileException>(() => lexer.ProcessWord(input, env));
            return;
        }
        Assert.True(line > 0);
        Assert.Equal(expected, lexer.ProcessWord(input, env));
    }

    [Fact]
    public void Every_wordsTest_vector_splits_like_BuildKit()
    {
        var env = new Dictionary<string, string>();
        var lexer = new ShellLexer('\\');
        int checkedCount = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(ShellDir, "wordsTest"), Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                var kv = line[4..];
                var eq = kv.IndexOf('=');
                env[kv[..eq]] = kv[(eq + 1)..];
                continue;
            }
            var parts = line.Split('|');
            Assert.Equal(2, parts.Length);
            var input = parts[0].Trim();
            var expected = parts[1].TrimStart();
            if (expected == "error")
            {
                Assert.Throws<DockerfileException>(() => lexer.ProcessWords(input, env));
            }
            else
            {
                var words = lexer.ProcessWords(input, env);
                Assert.Equal(expected.Split(','), words);
            }
            checkedCount++;
        }
        Assert.True(checkedCount >= 20, $"only {checkedCount} vectors found");
    }
}
