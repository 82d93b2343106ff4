using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata kill [-s SIGNAL] CONTAINER...</c>: signals the container's main process (default KILL).</summary>
internal static class KillVerb
{
    public static Command Create(string name)
    {
        var containers = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send to the container", DefaultValueFactory = _ => "KILL" };
        var command = new Command(name, "Kill one or more running containers") { containers, signal };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var sig = parse.GetValue(signal)!;
            if (sig.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) sig = sig[3..];
            foreach (var c in parse.GetValue(containers)!)
            {
                var container = await manager.GetAsync(c, ct).ConfigureAwait(false);
                await manager.KillAsync(container, sig.ToUpperInvariant(), ct).ConfigureAwait(false);
                Console.Out.WriteLine(c);
            }
            return 0;
        });
        return command;
    }
}
