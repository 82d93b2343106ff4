using System.CommandLine;
using Strata.Images.Unpacking;

namespace Strata.Cli.Verbs;

/// <summary><c>strata image ...</c>: docker's management-command spelling of the image verbs, plus <c>unpack</c>.</summary>
internal static class ImageVerb
{
    public static Command Create()
    {
        var command = new Command("image", "Manage images");
        command.Subcommands.Add(ImagesVerb.Create("ls"));
        command.Subcommands.Add(HistoryVerb.Create("history"));
        command.Subcommands.Add(InspectVerb.Create("inspect"));
        command.Subcommands.Add(ImportVerb.Create("import"));
        command.Subcommands.Add(LoadVerb.Create("load"));
        command.Subcommands.Add(SaveVerb.Create("save"));
        command.Subcommands.Add(TagVerb.Create("tag"));
        command.Subcommands.Add(RmiVerb.Create("rm"));
        command.Subcommands.Add(PruneVerbs.ImagePrune());
        command.Subcommands.Add(Unpack());
        return command;
    }

    private static Command Unpack()
    {
        var image = new Argument<string>("IMAGE");
        var target = new Argument<string>("DIR") { Description = "Empty or missing directory to receive the root filesystem" };
        var command = new Command("unpack", "Apply an image's layers into a directory (its root filesystem)") { image, target };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var stored = await store.GetAsync(parse.GetValue(image)!, ct).ConfigureAwait(false);
            await ImageUnpacker.UnpackAsync(store, stored, parse.GetValue(target)!, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
