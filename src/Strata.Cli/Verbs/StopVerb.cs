using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata stop [-t SECONDS] CONTAINER...</c>: SIGTERM, then SIGKILL after the grace period (default 10 s).</summary>
internal static class StopVerb
{
    public static Command Create(string name)
    {
        var containers = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var time = new Option<int>("--time", "-t") { Description = "Seconds to wait for stop before killing it", DefaultValueFactory = _ => 10 };
        var command = new Command(name, "Stop one or more running containers") { containers, time };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            foreach (var c in parse.GetValue(containers)!)
            {
                var container = await manager.GetAsync(c, ct).ConfigureAwait(false);
                await manager.StopAsync(container, TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(time))), ct).ConfigureAwait(false);
                Console.Out.WriteLine(c);
            }
            return 0;
        });
        return command;
    }
}
