using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata start CONTAINER...</c>: runs created (or exited) containers detached, as they were created.</summary>
internal static class StartVerb
{
    public static Command Create(string name)
    {
        var containers = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Start one or more stopped containers") { containers };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            int exit = 0;
            foreach (var c in parse.GetValue(containers)!)
            {
                var container = await manager.GetAsync(c, ct).ConfigureAwait(false);
                var started = await DetachedStart.StartAsync(parse, manager, container, ct).ConfigureAwait(false);
                if (started.Error is { } error)
                    exit = await DetachedStart.ReportStartFailureAsync(error).ConfigureAwait(false);
                else
                    Console.Out.WriteLine(c);
            }
            return exit;
        });
        return command;
    }
}
