using System.CommandLine;
using Strata.Cli.Formatting;
using Strata.Images.Gc;
using Strata.Images.Removal;

namespace Strata.Cli.Verbs;

/// <summary><c>strata image prune</c> and <c>strata system prune</c>.</summary>
internal static class PruneVerbs
{
    public static Command ImagePrune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove unused images") { all, force };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenToFreeSpaceAsync(parse, ct).ConfigureAwait(false);
            var gc = StoreGc.For(store);
            var report = await ImageRemover.PruneAsync(gc, parse.GetValue(all), ct).ConfigureAwait(false);
            // Unpacked layers only the removed images used go too.
            await gc.SweepSnapshotsAsync(TimeSpan.MaxValue, ct).ConfigureAwait(false);
            Print(report, withTotal: true);
            return 0;
        });
        return command;
    }

    public static Command SystemPrune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove unused data: dangling images and build cache, unreferenced blobs and unpacked layers, scratch files") { all, force };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenToFreeSpaceAsync(parse, ct).ConfigureAwait(false);
            var report = await SystemPruner.PruneAsync(StoreGc.For(store), new SystemPruneOptions { All = parse.GetValue(all) }, ct).ConfigureAwait(false);
            if (report.SnapshotsRemoved > 0) Console.Out.WriteLine($"removed {report.SnapshotsRemoved} unused unpacked layers");
            Print(report.Images, withTotal: false);
            BuilderVerb.Print(report.BuildCache);
            foreach (var repair in report.Repairs) Console.Out.WriteLine(repair);
            Console.Out.WriteLine($"Total reclaimed space: {HumanUnits.HumanSize(report.ReclaimedBytes)}");
            return 0;
        });
        return command;
    }

    internal static void Print(RemovalReport report, bool withTotal)
    {
        if (withTotal && (report.Untagged.Count > 0 || report.Deleted.Count > 0)) Console.Out.WriteLine("Deleted Images:");
        foreach (var u in report.Untagged) Console.Out.WriteLine($"{(withTotal ? "untagged" : "Untagged")}: {u}");
        foreach (var d in report.Deleted) Console.Out.WriteLine($"{(withTotal ? "deleted" : "Deleted")}: {d}");
        if (withTotal)
        {
            if (report.Untagged.Count > 0 || report.Deleted.Count > 0) Console.Out.WriteLine();
            Console.Out.WriteLine($"Total reclaimed space: {HumanUnits.HumanSize(report.ReclaimedBytes)}");
        }
    }
}
