using System.CommandLine;
using System.Globalization;
using Strata.Cli.Formatting;
using Strata.Core;
using Strata.Build.Cache.Prune;
using Strata.Images.Gc;

namespace Strata.Cli.Verbs;

/// <summary><c>strata builder prune [--all] [--keep-storage SIZE] [--filter until=DURATION] [-f]</c> and <c>strata builder logs</c>.</summary>
internal static class BuilderVerb
{
    public static Command Create()
    {
        var command = new Command("builder", "Manage the build cache");
        command.Subcommands.Add(Prune());
        command.Subcommands.Add(BuildLogsVerb.Create());
        return command;
    }

    private static Command Prune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused build cache, not just dangling ones (records whose layer no image uses)" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. until=24h: only cache unused for longer)" };
        var keep = new Option<string?>("--keep-storage") { Description = "Amount of disk space to keep for cache (e.g. 512MB): least recently used records go first" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove build cache") { all, filter, keep, force };
        command.SetAction(async (parse, ct) =>
        {
            var options = new BuildCachePruneOptions
            {
                All = parse.GetValue(all),
                UnusedFor = Until(parse.GetValue(filter) ?? []),
                KeepStorage = parse.GetValue(keep) is { } k ? ParseSize(k) : 0,
            };
            var store = await StoreOpener.OpenToFreeSpaceAsync(parse, ct).ConfigureAwait(false);
            var report = await BuildCachePruner.PruneAsync(store, options, ct).ConfigureAwait(false);
            // Unpacked layers only pruned records used go too (leaves first, never an image's).
            await StoreGc.For(store).SweepSnapshotsAsync(TimeSpan.MaxValue, ct).ConfigureAwait(false);
            Print(report);
            Console.Out.WriteLine($"Total reclaimed space: {HumanUnits.HumanSize(report.ReclaimedBytes)}");
            return 0;
        });
        return command;
    }

    internal static void Print(PruneReport report)
    {
        if (report.Deleted.Count == 0) return;
        Console.Out.WriteLine("Deleted build cache objects:");
        foreach (var id in report.Deleted) Console.Out.WriteLine(id);
        Console.Out.WriteLine();
    }

    /// <summary>The <c>until</c> filter (the only one builder prune takes, as docker).</summary>
    private static TimeSpan? Until(IEnumerable<string> filters)
    {
        TimeSpan? until = null;
        foreach (var f in filters)
        {
            int eq = f.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? f[..eq] : f;
            if (name is not ("until" or "unused-for")) throw new InvalidArgumentException($"--filter \"{f}\": invalid filter \"{name}\": builder prune takes until=DURATION");
            until = ParseDuration(f[(eq + 1)..]);
        }
        return until;
    }

    /// <summary>A Go duration: a sequence of number+unit (h, m, s, ms), e.g. 24h or 1h30m.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var total = TimeSpan.Zero;
        int i = 0;
        if (text.Length == 0) throw new InvalidArgumentException("--filter until: empty duration");
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (start == i || !double.TryParse(text[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                throw new InvalidArgumentException($"--filter until={text}: not a duration (e.g. 24h, 90m, 1h30m)");
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            total += text[unitStart..i] switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                _ => throw new InvalidArgumentException($"--filter until={text}: unknown unit \"{text[unitStart..i]}\" (use h, m, s or ms)"),
            };
        }
        return total;
    }

    /// <summary>docker's RAMInBytes (<see cref="ByteSize"/>).</summary>
    internal static long ParseSize(string text) =>
        ByteSize.TryParse(text, out var bytes) ? bytes : throw new InvalidArgumentException($"--keep-storage \"{text}\": not a size (e.g. 512MB, 2GB)");
}
