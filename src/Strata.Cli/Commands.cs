using System.CommandLine;
using Strata.Cli.Verbs;

namespace Strata.Cli;

/// <summary>Every verb, one file each under Verbs/. Add a verb here to expose it.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionVerb.Create();
        yield return DockerfileVerb.Create();
    }
}
