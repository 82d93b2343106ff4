using System.Text;

namespace Strata.Execution.Tests;

public sealed class RuntimeErrorLineTests
{
    private static string Run(string runtimeError, params string[] chunks)
    {
        var filter = new RuntimeErrorLine("runc");
        var output = new StringBuilder();
        foreach (var chunk in chunks) output.Append(Encoding.UTF8.GetString(filter.Pass(Encoding.UTF8.GetBytes(chunk))));
        return output.Append(Encoding.UTF8.GetString(filter.Finish(runtimeError))).ToString();
    }

    [Fact]
    public void The_runtimes_fatal_line_is_dropped_when_the_runtime_failed_with_it()
    {
        const string error = "runc run failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH";
        Assert.Equal("", Run(error, error + "\n"));
        Assert.Equal("before\n", Run(error, "bef", "ore\nrunc run ", "failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH\n"));
    }

    [Fact]
    public void Container_output_passes_whole_even_when_it_looks_like_the_runtime()
    {
        Assert.Equal("runc is a runtime\nrun\nruncible\n", Run("", "runc is a runtime\n", "run\nruncible\n"));
        Assert.Equal("runc one\nrunc two\n", Run("runc run failed: other", "runc one\nrunc two\n"));
        Assert.Equal("a\nrunc partial", Run("runc run failed: x", "a\nrunc partial"));
    }
}
