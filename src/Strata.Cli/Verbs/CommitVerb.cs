using System.CommandLine;
using Strata.Build.Config;
using Strata.Containers;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata commit [-m MSG] [-a AUTHOR] [-c INSTR]... CONTAINER [REPOSITORY[:TAG]]</c>: the
/// container's writable layer becomes the top layer of a new image. On a terminal its bytes are a
/// bar while the layer is written; piped, only the new image's ID is printed.
/// </summary>
internal static class CommitVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image", AllowMultipleArgumentsPerToken = false };
        var message = new Option<string?>("--message", "-m") { Description = "Commit message" };
        var author = new Option<string?>("--author", "-a") { Description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var command = new Command(name, "Create a new image from a container's changes") { container, reference, change, message, author };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var c = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            var image = await store.GetAsync(c.ImageId.Value, ct).ConfigureAwait(false);
            var changes = parse.GetValue(change) ?? [];
            var options = new ContainerCommitOptions
            {
                Message = parse.GetValue(message),
                Author = parse.GetValue(author),
                Config = changes.Length == 0 ? null : ConfigChanges.Apply(changes, image.Config.Config),
                Tags = parse.GetValue(reference) is { } r ? [ImageReference.Parse(r)] : [],
            };
            // On a terminal, the writable layer's bytes as a bar; piped, only the ID.
            var bars = TransferBars.Wanted() ? TransferBars.ForBytes(onError: false) : null;
            var progress = bars?.Watch(item => $"{item}: Committing");
            Images.StoredImage committed;
            try
            {
                committed = await manager.CommitAsync(c, options, progress, ct).ConfigureAwait(false);
            }
            finally
            {
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
            Console.Out.WriteLine(committed.Id.Value);
            return 0;
        });
        return command;
    }
}
