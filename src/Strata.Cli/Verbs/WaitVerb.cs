using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata wait CONTAINER...</c>: blocks until each container stops, then prints its exit code.</summary>
internal static class WaitVerb
{
    public static Command Create(string name)
    {
        var containers = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Block until one or more containers stop, then print their exit codes") { containers };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            foreach (var c in parse.GetValue(containers)!)
            {
                var container = await manager.GetAsync(c, ct).ConfigureAwait(false);
                Console.Out.WriteLine(await manager.WaitExitAsync(container, null, ct).ConfigureAwait(false));
            }
            return 0;
        });
        return command;
    }
}
