using System.Text.RegularExpressions;
using Strata.Dockerfile.Instructions;

namespace Strata.Analysis.Lint;

/// <summary>Cache busters: a build-time date, a remote ADD without a checksum, a CACHEBUST-like ARG.</summary>
internal static partial class CacheChecks
{
    [GeneratedRegex(@"^(CACHE_?BUST(ER)?|CACHE_?DATE|NO_?CACHE|BUILD_?(DATE|TIME|TIMESTAMP)|TIMESTAMP|BUILD_?TS)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BustingArg();

    public static void Check(LintSession session)
    {
        foreach (var arg in session.Instructions.OfType<ArgInstruction>())
        {
            foreach (var a in arg.Args.Where(a => BustingArg().IsMatch(a.Name)))
                session.Add(LintRules.CacheBustArg, arg, a.Name,
                    $"ARG {a.Name} exists to bust the cache: each new value re-runs every step from its first use on; use --no-cache-filter or a cache mount");
        }
        foreach (var ins in session.Instructions)
        {
            switch (ins)
            {
                case RunInstruction run when ShellScript.UsesCommand(session.Commands(run), "date"):
                    session.Add(LintRules.TimestampInRun, run, "date",
                        "date at build time: the layer records when it was built, so it changes on every uncached rebuild (and with it every later layer) and is stale while cached; make timestamps at run time or from SOURCE_DATE_EPOCH");
                    break;
                case AddInstruction add when add.Checksum is null:
                    foreach (var url in add.Sources.Where(s => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
                        session.Add(LintRules.UnpinnedRemoteAdd, add, url,
                            $"ADD {url} has no --checksum: it is fetched on every build and the step misses whenever the remote changes; pin it with --checksum=sha256:...");
                    break;
            }
        }
    }
}
