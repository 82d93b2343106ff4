using System.CommandLine;
using System.Reflection;

namespace Strata.Cli.Verbs;

/// <summary><c>strata version</c>.</summary>
internal static class VersionVerb
{
    public static Command Create()
    {
        var command = new Command("version", "Show the Strata version");
        command.SetAction(parse =>
        {
            var version = typeof(VersionVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
            Console.Out.WriteLine($"strata {version}");
            return 0;
        });
        return command;
    }
}
