using System.CommandLine;
using Strata.Cli.Verbs;

namespace Strata.Cli;

/// <summary>Every verb, one file each under Verbs/. Add a verb here to expose it.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return BuildVerb.Create();
        yield return ImportVerb.Create("import");
        yield return ImagesVerb.Create("images");
        yield return HistoryVerb.Create("history");
        yield return InspectVerb.Create("inspect");
        yield return TagVerb.Create("tag");
        yield return RmiVerb.Create("rmi");
        yield return SaveVerb.Create("save");
        yield return LoadVerb.Create("load");
        yield return PullVerb.Create("pull");
        yield return PushVerb.Create("push");
        yield return ManifestVerb.Create();
        yield return LoginVerb.Create("login");
        yield return LogoutVerb.Create("logout");
        yield return ImageVerb.Create();
        yield return RunVerb.Create("run");
        yield return PsVerb.Create("ps");
        yield return RmVerb.Create("rm");
        yield return DiffVerb.Create("diff");
        yield return CommitVerb.Create("commit");
        foreach (var verb in ContainerVerb.TopLevel()) yield return verb;
        yield return ContainerVerb.Create();
        yield return SystemVerb.Create();
        yield return BuilderVerb.Create();
        yield return VersionVerb.Create();
        yield return InfoVerb.Create();
        yield return DockerfileVerb.Create();
        yield return LintVerb.Create();
        yield return AnalyzeVerb.Create("analyze");
    }
}
