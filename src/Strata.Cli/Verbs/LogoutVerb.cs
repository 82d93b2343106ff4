using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata logout [SERVER]</c>: forgets the stored credential (in config.json and its helper).</summary>
internal static class LogoutVerb
{
    public static Command Create(string name)
    {
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "Log out from a registry") { server };
        command.SetAction(async (parse, ct) =>
        {
            var registry = LoginVerb.RegistryName(parse.GetValue(server));
            var found = await RegistryOpener.Config().EraseAsync(registry, ct).ConfigureAwait(false);
            Console.Out.WriteLine(found ? $"Removing login credentials for {registry}" : $"Not logged in to {registry}");
            return 0;
        });
        return command;
    }
}
