using System.Text;
using System.Text.Json.Serialization;
using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>RUN [--mount=...]... [--network=N] [--security=S] command</c>, with its heredocs.</summary>
public sealed record RunInstruction(CommandLine Command, IReadOnlyList<HeredocSource> Heredocs, IReadOnlyList<RunMount> Mounts, RunNetwork Network, RunSecurity Security) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "RUN";

    /// <summary>
    /// The script a shell-form RUN hands to the shell, as BuildKit's dispatchRun makes it: a
    /// command that is nothing but one heredoc runs that heredoc's body; any other command with
    /// heredocs (<c>cat &lt;&lt;A &lt;&lt;B &gt; f</c>, <c>&lt;&lt;F1 cat &gt; f1 &amp;&amp; &lt;&lt;F2 cat &gt; f2</c>)
    /// is joined back with every body and its terminator, so the shell itself feeds each heredoc
    /// to its redirection (and expands it, or not, as its quoting says).
    /// </summary>
    public string ShellScript()
    {
        var command = string.Join(' ', Command.Args);
        if (Heredocs.Count == 0) return command;
        if (DockerfileParser.ParseHeredoc(command.Trim()) is not null) return Heredocs[0].Content;
        var script = new StringBuilder(command);
        foreach (var heredoc in Heredocs) script.Append('\n').Append(heredoc.Content).Append(heredoc.Name);
        return script.ToString();
    }
}
