using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata create [run's options] IMAGE [CMD...]</c>: makes the container and prints its ID; <c>start</c> runs it.</summary>
internal static class CreateVerb
{
    public static Command Create(string name)
    {
        var flags = new RunFlags();
        var command = new Command(name, "Create a new container");
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = flags.Read(parse, remove: false, detach: true);
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var container = await manager.CreateAsync(parse.GetValue(flags.Image)!, options, ct).ConfigureAwait(false);
            Console.Out.WriteLine(container.Id);
            return 0;
        });
        return command;
    }
}
