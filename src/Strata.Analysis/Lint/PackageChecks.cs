using Strata.Dockerfile.Instructions;

namespace Strata.Analysis.Lint;

/// <summary>Package-manager rules: update alone, cleanup in its own RUN, apt lists, recommends, pip's cache.</summary>
internal static class PackageChecks
{
    private static readonly string[] CachePaths = ["/var/lib/apt/lists", "/var/cache/", "/root/.cache", "~/.cache", "/root/.npm", "~/.npm", "/var/cache/apk"];

    public static void Check(LintSession session)
    {
        foreach (var stage in session.Definition.Stages)
        {
            bool shipping = session.Shipping.Contains(stage.Index);
            bool pipCacheOff = stage.Instructions.OfType<EnvInstruction>().Any(e => e.Variables.Any(v => v.Key == "PIP_NO_CACHE_DIR"));
            RunInstruction? lastInstall = null;
            RunInstruction? previousRun = null;
            foreach (var run in stage.Instructions.OfType<RunInstruction>())
            {
                var commands = session.Commands(run);
                bool installs = commands.Any(IsInstall);
                if (commands.FirstOrDefault(c => IsIndexUpdate(c)) is { } update && !commands.Any(c => c.IsApt("install") || c.IsApt("upgrade") || c.IsApt("dist-upgrade") || (c.Program == "apk" && c.Subcommand is "add" or "upgrade")))
                    session.Add(LintRules.AptUpdateAlone, run, LintSession.Needle(update),
                        $"'{update.Text}' runs alone: its layer is cached separately, so a later install can use a stale index; update and install in the same RUN");
                if (!installs && previousRun is not null && commands.FirstOrDefault(IsCleanup) is { } cleanup)
                {
                    var made = lastInstall ?? previousRun;
                    session.Add(LintRules.CleanupInSeparateRun, run, LintSession.Needle(cleanup),
                        $"'{cleanup.Text}' runs in its own RUN: what it deletes stays in the layer of line {made.Range.StartLine}, so this saves 0 bytes; clean up in that RUN");
                }
                foreach (var c in commands)
                {
                    if (c.IsApt("install"))
                    {
                        if (!c.Has("--no-install-recommends") && !c.Words.Any(w => w.Contains("Install-Recommends=false", StringComparison.OrdinalIgnoreCase)))
                            session.Add(LintRules.AptNoInstallRecommends, run, LintSession.Needle(c), $"'{Short(c.Text)}' without --no-install-recommends also installs recommended packages");
                        if (shipping && !RemovesAptLists(commands) && !run.Mounts.Any(m => m.Type == MountType.Cache && m.Target is { } t && t.StartsWith("/var/lib/apt", StringComparison.Ordinal)))
                            session.Add(LintRules.AptListsNotRemoved, run, LintSession.Needle(c), "the apt lists stay in this layer: end the RUN with rm -rf /var/lib/apt/lists/*");
                    }
                    if (c.IsPipInstall && !c.Has("--no-cache-dir") && !pipCacheOff
                        && !run.Mounts.Any(m => m.Type == MountType.Cache && m.Target is { } t && t.Contains(".cache", StringComparison.Ordinal)))
                        session.Add(LintRules.PipNoCacheDir, run, LintSession.Needle(c), $"'{Short(c.Text)}' keeps pip's download cache in the layer: add --no-cache-dir");
                }
                if (installs) lastInstall = run;
                previousRun = run;
            }
        }
    }

    private static bool IsIndexUpdate(ShellCommand c) => c.IsApt("update") || (c.Program == "apk" && c.Subcommand == "update");

    /// <summary>A command that installs packages or dependencies (its RUN may clean up after itself).</summary>
    internal static bool IsInstall(ShellCommand c) =>
        c.IsApt("install") || c.IsApt("update") || c.IsApt("upgrade") || c.IsPipInstall
        || (c.Program is "apk" && c.Subcommand is "add" or "update")
        || (c.Program is "yum" or "dnf" or "microdnf" or "zypper" && c.Subcommand is "install" or "update")
        || (c.Program is "npm" or "pnpm" && c.Subcommand is "install" or "ci" or "i")
        || (c.Program == "yarn" && c.Subcommand is null or "install")
        || (c.Program is "curl" or "wget" or "make");

    private static bool IsCleanup(ShellCommand c) =>
        c.IsApt("clean") || c.IsApt("autoclean") || c.IsApt("autoremove")
        || (c.Program is "yum" or "dnf" && c.Subcommand == "clean")
        || (c.Program == "apk" && c.Subcommand == "cache")
        || (c.Program is "npm" or "yarn" && c.Subcommand == "cache")
        || (c.Program.StartsWith("pip", StringComparison.Ordinal) && c.Subcommand == "cache")
        || (c.Program == "rm" && c.Words.Skip(1).Any(w => CachePaths.Any(p => w.StartsWith(p, StringComparison.Ordinal))));

    private static bool RemovesAptLists(IReadOnlyList<ShellCommand> commands) =>
        commands.Any(c => c.Program == "rm" && c.Words.Any(w => w.StartsWith("/var/lib/apt/lists", StringComparison.Ordinal)));

    internal static string Short(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
