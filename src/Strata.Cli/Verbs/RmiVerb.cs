using System.CommandLine;
using Strata.Core;
using Strata.Images.Removal;

namespace Strata.Cli.Verbs;

/// <summary><c>strata rmi [-f] IMAGE...</c>: docker's untag/delete rules; a failure for one image does not stop the others.
/// Failures are "Error: ..." lines like every other verb (there is no daemon to blame).</summary>
internal static class RmiVerb
{
    public static Command Create(string name)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var command = new Command(name, "Remove one or more images") { images, force };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenToFreeSpaceAsync(parse, ct).ConfigureAwait(false);
            int status = 0;
            foreach (var image in parse.GetValue(images)!)
            {
                try
                {
                    var report = await ImageRemover.RemoveAsync(StoreGc.For(store), image, parse.GetValue(force), ct).ConfigureAwait(false);
                    PruneVerbs.Print(report, withTotal: false);
                }
                catch (StrataException ex)
                {
                    await Console.Error.WriteLineAsync("Error: " + ex.Message).ConfigureAwait(false);
                    status = 1;
                }
            }
            await StoreGc.For(store).SweepSnapshotsAsync(TimeSpan.MaxValue, ct).ConfigureAwait(false);
            return status;
        });
        return command;
    }
}
