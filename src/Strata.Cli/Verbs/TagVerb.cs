using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata tag SOURCE TARGET</c>.</summary>
internal static class TagVerb
{
    public static Command Create(string name)
    {
        var source = new Argument<string>("SOURCE_IMAGE[:TAG]");
        var target = new Argument<string>("TARGET_IMAGE[:TAG]");
        var command = new Command(name, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE") { source, target };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            await store.TagAsync(parse.GetValue(source)!, parse.GetValue(target)!, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
