using Xunit.Sdk;

namespace Strata.Testing.Tests;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task A_run_gives_the_exit_code_and_both_streams_whole()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "cat; echo err >&2; exit 3"], new RunOptions { StdinText = "in\n" });

        Assert.Equal(("/bin/sh -c 'cat; echo err >&2; exit 3'", 3, "in\n", "err\n"), (result.CommandLine, result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task A_hung_program_is_killed_with_its_children_and_fails_the_test_naming_the_command()
    {
        using var temp = new TempDir("strata-runner-test-");
        var pidFile = temp.PathOf("child.pid");
        // The shell starts a child that would outlive it, says so, and waits forever.
        var script = $"sleep 600 & echo $! > {pidFile}; echo started; wait";

        var failure = await Assert.ThrowsAsync<XunitException>(() =>
            ProcessRunner.RunAsync("/bin/sh", ["-c", script], new RunOptions { Timeout = TimeSpan.FromSeconds(10) }));

        Assert.StartsWith($"`/bin/sh -c '{script}'` did not finish within 10 s and was killed with its children\n--- stdout:\nstarted\n", failure.Message, StringComparison.Ordinal);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(IsGoneOrZombie(child), $"the shell's child {child} still runs");
    }

    [Fact]
    public async Task A_missing_program_fails_naming_it()
    {
        var failure = await Assert.ThrowsAsync<XunitException>(() => ProcessRunner.RunAsync("/nonexistent/tool", "x"));

        Assert.StartsWith("cannot start /nonexistent/tool: ", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    public void Quote_makes_a_word_sh_reads_back_as_it_is(string word, string quoted) =>
        Assert.Equal(quoted, ProcessRunner.Quote(word));

    // Killed with SIGKILL, the child is either reaped already or a zombie until init reaps it.
    private static bool IsGoneOrZombie(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return true;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
