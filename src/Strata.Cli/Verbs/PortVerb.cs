using System.CommandLine;
using Strata.Cli.Formatting;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the container's published ports as docker
/// prints them (<c>80/tcp -> 0.0.0.0:8080</c>; with a port, <c>0.0.0.0:8080</c>). A container
/// that is not running has none.
/// </summary>
internal static class PortVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var privatePort = new Argument<string?>("PRIVATE_PORT[/PROTO]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "List port mappings or a specific mapping for the container") { container, privatePort };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var state = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            IReadOnlyList<string> lines;
            if (parse.GetValue(privatePort) is { } port)
            {
                if (DockerPorts.Lines(state, port) is not { } found)
                {
                    await Console.Error.WriteLineAsync($"Error: No public port '{DockerPorts.Key(port)}' published for {parse.GetValue(container)}").ConfigureAwait(false);
                    return 1;
                }
                lines = found;
            }
            else
            {
                lines = DockerPorts.Lines(state);
            }
            foreach (var line in lines) Console.Out.WriteLine(line);
            return 0;
        });
        return command;
    }
}
