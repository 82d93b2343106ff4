using System.CommandLine;
using Strata.Cli.Formatting;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata diff [--size] CONTAINER</c>: <c>docker diff</c>'s lines; <c>--size</c> adds what
/// each change costs in the writable layer (a copied-up file costs all of itself), then a total.
/// </summary>
internal static class DiffVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var size = new Option<bool>("--size", "-s") { Description = "Show the bytes each change costs in the writable layer" };
        var command = new Command(name, "Inspect changes to files or directories on a container's filesystem") { container, size };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var c = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            var changes = await manager.DiffAsync(c, ct).ConfigureAwait(false);
            bool withSize = parse.GetValue(size);
            var text = new System.Text.StringBuilder();
            foreach (var change in changes)
            {
                text.Append(change.Letter).Append(' ').Append(change.Path);
                if (withSize) text.Append('\t').Append(change.Size).Append(" (").Append(HumanUnits.Size(change.Size)).Append(')');
                text.Append('\n');
            }
            if (withSize) text.Append("total\t").Append(changes.Sum(x => x.Size)).Append(" (").Append(HumanUnits.Size(changes.Sum(x => x.Size))).Append(")\n");
            Console.Out.Write(text.ToString());
            return 0;
        });
        return command;
    }
}
