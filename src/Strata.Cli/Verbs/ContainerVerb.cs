using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata container ...</c>: docker's management-command spelling of the container verbs.</summary>
internal static class ContainerVerb
{
    public static Command Create()
    {
        var command = new Command("container", "Manage containers");
        command.Subcommands.Add(RunVerb.Create("run"));
        command.Subcommands.Add(PsVerb.Create("ls"));
        command.Subcommands.Add(RmVerb.Create("rm"));
        command.Subcommands.Add(DiffVerb.Create("diff"));
        command.Subcommands.Add(CommitVerb.Create("commit"));
        command.Subcommands.Add(RmVerb.Prune());
        foreach (var verb in TopLevel()) command.Subcommands.Add(verb);
        return command;
    }

    /// <summary>The lifecycle verbs, both top level (<c>strata stop</c>) and under <c>container</c>.</summary>
    public static IEnumerable<Command> TopLevel()
    {
        yield return CreateVerb.Create("create");
        yield return StartVerb.Create("start");
        yield return StopVerb.Create("stop");
        yield return KillVerb.Create("kill");
        yield return WaitVerb.Create("wait");
        yield return LogsVerb.Create("logs");
        yield return ExecVerb.Create("exec");
        yield return CpVerb.Create("cp");
        yield return PortVerb.Create("port");
        yield return ExportVerb.Create("export");
        yield return ShimVerb.Create();
    }
}
