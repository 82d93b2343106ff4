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
        return command;
    }
}
