using System.CommandLine;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary><c>strata rm [-f] CONTAINER...</c>: removes containers and their writable layers.</summary>
internal static class RmVerb
{
    public static Command Create(string name)
    {
        var containers = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of a running container" };
        var command = new Command(name, "Remove one or more containers") { containers, force };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            foreach (var c in parse.GetValue(containers)!)
            {
                var container = await manager.GetAsync(c, ct).ConfigureAwait(false);
                await manager.RemoveAsync(container, parse.GetValue(force), ct).ConfigureAwait(false);
                Console.Out.WriteLine(c);
            }
            return 0;
        });
        return command;
    }

    /// <summary><c>strata container prune</c>: every stopped container.</summary>
    public static Command Prune()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove all stopped containers") { force };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            Console.Out.WriteLine("Deleted Containers:");
            foreach (var container in await manager.ListAsync(ct).ConfigureAwait(false))
            {
                if (container.Status is ContainerStatus.Running or ContainerStatus.Starting) continue;
                await manager.RemoveAsync(container, force: false, ct).ConfigureAwait(false);
                Console.Out.WriteLine(container.Id);
            }
            Console.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
