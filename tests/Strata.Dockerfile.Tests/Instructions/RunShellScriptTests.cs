using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Tests.Instructions;

/// <summary>What a shell-form RUN with heredocs hands the shell, as BuildKit's dispatchRun builds it.</summary>
public sealed class RunShellScriptTests
{
    private static string Script(string dockerfile) =>
        InstructionParser.Parse("FROM a\n" + dockerfile).Stages[0].Instructions.OfType<RunInstruction>().Single().ShellScript();

    [Fact]
    public void A_command_that_is_one_heredoc_runs_its_body()
    {
        Assert.Equal("echo a\necho b\n", Script("RUN <<EOT\necho a\necho b\nEOT\n"));
    }

    [Fact]
    public void Several_heredocs_on_one_command_are_joined_back_with_their_terminators()
    {
        Assert.Equal("cat <<A <<B > f\nfrom a\nA\nfrom b\nB", Script("RUN cat <<A <<B > f\nfrom a\nA\nfrom b\nB\n"));
    }

    [Fact]
    public void Heredocs_of_two_commands_joined_by_and_keep_their_order()
    {
        Assert.Equal("<<F1 cat > f1 && <<F2 cat > f2\none\nF1\ntwo\nF2", Script("RUN <<F1 cat > f1 && <<F2 cat > f2\none\nF1\ntwo\nF2\n"));
    }

    [Fact]
    public void One_heredoc_fed_to_a_command_is_joined_back_too()
    {
        Assert.Equal("<<EOT sh\necho x\nEOT", Script("RUN <<EOT sh\necho x\nEOT\n"));
    }
}
