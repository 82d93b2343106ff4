using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Core;
using Strata.Images.Checking;
using Strata.Build.Cache.Usage;
using Strata.Containers;
using Strata.Images;
using Strata.Images.Views;

namespace Strata.Cli.Verbs;

/// <summary><c>strata system df|check|prune</c>.</summary>
internal static class SystemVerb
{
    public static Command Create()
    {
        var command = new Command("system", "Manage the Strata store");
        command.Subcommands.Add(Df());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(PruneVerbs.SystemPrune());
        return command;
    }

    private static Command Df()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show detailed information on space usage" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table' or 'json' (with -v: run once over Images, Containers, Volumes, BuildCache)" };
        var command = new Command("df", "Show disk usage") { verbose, format };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var report = await SystemDiskUsage.ComputeAsync(store, ct).ConfigureAwait(false);
            Dictionary<string, ContainerState>? states = null;
            if (report.Containers.Count > 0) (report, states) = await WithContainerSizesAsync(store, report, ct).ConfigureAwait(false);
            Console.Out.Write(parse.GetValue(verbose) ? Verbose(report, parse.GetValue(format), states) : Summary(report, parse.GetValue(format)));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The containers as docker's df sees them: each one's writable layer bytes (SizeRw), the
    /// image name it was run with, and its state for COMMAND and STATUS. The runtime is asked
    /// only when there are containers, so an image-only store's df starts no process.
    /// </summary>
    private static async Task<(DiskUsageReport, Dictionary<string, ContainerState>)> WithContainerSizesAsync(ImageStore store, DiskUsageReport report, CancellationToken ct)
    {
        var manager = ContainerOpener.Create(store);
        var states = new Dictionary<string, ContainerState>(StringComparer.Ordinal);
        foreach (var state in await manager.ListAsync(ct).ConfigureAwait(false)) states[state.Id] = state;
        var rows = new List<ContainerUsage>();
        foreach (var row in report.Containers)
        {
            if (!states.TryGetValue(row.Id, out var state))
            {
                rows.Add(row);
                continue;
            }
            var size = await manager.SizeAsync(state, ct).ConfigureAwait(false);
            rows.Add(row with { Image = state.Image, State = state.Status.ToText(), Size = size.Writable });
        }
        return (report with { Containers = rows }, states);
    }

    internal static string Summary(DiskUsageReport r, string? format = null)
    {
        var rows = new List<JsonObject>
        {
            Row("Images", r.ImageCount, r.ActiveImages, r.ImagesTotalSize, r.ImagesReclaimable),
            Row("Containers", r.Containers.Count, r.RunningContainers, r.ContainersSize, r.ContainersReclaimable),
            Row("Local Volumes", 0, 0, 0, 0),
            Row("Build Cache", r.BuildCacheCount, r.BuildCacheActive, r.BuildCacheTotalBytes, r.BuildCacheReclaimable),
        };
        var headers = new Dictionary<string, string> { ["Type"] = "TYPE", ["TotalCount"] = "TOTAL", ["Active"] = "ACTIVE", ["Size"] = "SIZE", ["Reclaimable"] = "RECLAIMABLE" };
        return FormattedOutput.Render(format ?? "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", headers, rows, GoShape.Context("*formatter.diskUsageImagesContext"));
    }

    /// <summary>A summary row; docker gives Build Cache's RECLAIMABLE no percentage.</summary>
    private static JsonObject Row(string type, int total, int active, long size, long reclaimable) => new()
    {
        ["Type"] = type,
        ["TotalCount"] = total.ToString(CultureInfo.InvariantCulture),
        ["Active"] = active.ToString(CultureInfo.InvariantCulture),
        ["Size"] = HumanUnits.HumanSize(size),
        ["Reclaimable"] = HumanUnits.HumanSize(reclaimable) + (size > 0 && type != "Build Cache" ? $" ({reclaimable * 100 / size}%)" : ""),
    };

    /// <summary>
    /// The four tables; or, as docker does, a <paramref name="format"/> (<c>json</c> or a
    /// template) run once over an object with Images, Containers, Volumes and BuildCache lists.
    /// </summary>
    internal static string Verbose(DiskUsageReport r, string? format = null, IReadOnlyDictionary<string, ContainerState>? states = null)
    {
        var now = DateTimeOffset.UtcNow;
        var images = r.Images.Select(i => new JsonObject
        {
            ["Repository"] = i.Repository,
            ["Tag"] = i.Tag,
            ["ID"] = i.Id.Length > 19 ? i.Id[7..19] : i.Id,
            ["CreatedSince"] = i.Created is { } c ? HumanUnits.Since(c, now) : "N/A",
            // docker 20.10's df -v image rows print VirtualSize, SharedSize and UniqueSize with HumanSize.
            ["Size"] = HumanUnits.HumanSize(i.Size),
            ["SharedSize"] = HumanUnits.HumanSize(i.SharedSize),
            ["UniqueSize"] = HumanUnits.HumanSize(i.UniqueSize),
            ["Containers"] = i.Containers.ToString(CultureInfo.InvariantCulture),
        });
        var imageHeaders = new Dictionary<string, string>
        {
            ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["CreatedSince"] = "CREATED", ["Size"] = "SIZE",
            ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE", ["Containers"] = "CONTAINERS",
        };
        // docker cuts IDs and commands in its table only: a --format sees them whole.
        bool trunc = format is null || format == "table";
        var containers = r.Containers.Select(c => new JsonObject
        {
            ["ID"] = trunc && c.Id.Length > 12 ? c.Id[..12] : c.Id,
            ["Image"] = c.Image,
            ["Command"] = states?.GetValueOrDefault(c.Id) is { } s ? ContainerColumns.Command(s.Command, trunc) : "",
            ["LocalVolumes"] = "0",
            ["Size"] = HumanUnits.Size(c.Size),
            ["CreatedSince"] = HumanUnits.Since(c.Created, now),
            ["Status"] = states?.GetValueOrDefault(c.Id) is { } t ? ContainerColumns.Status(t, now) : c.State,
            ["Names"] = c.Name,
        });
        var containerHeaders = new Dictionary<string, string>
        {
            ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["LocalVolumes"] = "LOCAL VOLUMES", ["Size"] = "SIZE",
            ["CreatedSince"] = "CREATED", ["Status"] = "STATUS", ["Names"] = "NAMES",
        };
        var cache = r.BuildCache.Select(e => new JsonObject
        {
            ["ID"] = e.Id,
            ["Type"] = "regular",
            ["Size"] = HumanUnits.Size(e.Size),
            ["CreatedSince"] = HumanUnits.Since(e.CreatedAt, now),
            ["LastUsedSince"] = HumanUnits.Since(e.LastUsed, now),
            ["UsageCount"] = e.UsageCount.ToString(CultureInfo.InvariantCulture),
            ["InUse"] = "false",
            ["Shared"] = e.Shared ? "true" : "false",
            ["Description"] = e.Description ?? "",
        }).Concat(r.CacheMounts.Select(m => new JsonObject
        {
            // As docker marks a build cache record in use: its ID with a trailing *.
            ["ID"] = m.InUse ? m.Name + "*" : m.Name,
            ["Type"] = "exec.cachemount",
            ["Size"] = HumanUnits.Size(m.Size),
            ["CreatedSince"] = HumanUnits.Since(m.CreatedAt, now),
            ["LastUsedSince"] = HumanUnits.Since(m.LastUsed, now),
            // The RUN steps that took it, as BuildKit counts a cache mount record's uses.
            ["UsageCount"] = m.UsageCount.ToString(CultureInfo.InvariantCulture),
            ["InUse"] = m.InUse ? "true" : "false",
            ["Shared"] = "false",
            ["Description"] = $"cached mount with id \"{m.Id}\"",
        })).Concat(r.Sources.Select(s => new JsonObject
        {
            // A download is BuildKit's regular "http url URL" record, a clone its source.git.checkout.
            ["ID"] = s.InUse ? s.Id + "*" : s.Id,
            ["Type"] = s.RecordType,
            ["Size"] = HumanUnits.Size(s.Size),
            ["CreatedSince"] = HumanUnits.Since(s.CreatedAt, now),
            ["LastUsedSince"] = HumanUnits.Since(s.LastUsed, now),
            ["UsageCount"] = "N/A",
            ["InUse"] = s.InUse ? "true" : "false",
            ["Shared"] = "false",
            ["Description"] = s.Description,
        })).ToList();
        if (format is not null && format != "table")
        {
            if (format.StartsWith("table", StringComparison.Ordinal))
                throw new InvalidArgumentException($"system df --verbose takes --format table, json or a template, not {format}");
            var all = new JsonObject
            {
                ["Images"] = new JsonArray([.. images]),
                ["Containers"] = new JsonArray([.. containers]),
                ["Volumes"] = new JsonArray(),
                ["BuildCache"] = new JsonArray([.. cache]),
            };
            return FormattedOutput.Render(format, new Dictionary<string, string>(), [all], DfVerbose);
        }
        return "Images space usage:\n\n"
            + FormattedOutput.Render("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}", imageHeaders, images, GoShape.Context("*formatter.imageContext"))
            + "\nContainers space usage:\n\n"
            + FormattedOutput.Render("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.CreatedSince}}\t{{.Status}}\t{{.Names}}", containerHeaders, containers, GoShape.Context("*formatter.ContainerContext"))
            + "\nLocal Volumes space usage:\n\n"
            + FormattedOutput.Render("table {{.Name}}\t{{.Links}}\t{{.Size}}", new Dictionary<string, string> { ["Name"] = "VOLUME NAME", ["Links"] = "LINKS", ["Size"] = "SIZE" }, [], GoShape.Context("*formatter.volumeContext"))
            + $"\nBuild cache usage: {HumanUnits.HumanSize(r.BuildCacheTotalBytes)}\n\n"
            + FormattedOutput.Render("table {{.ID}}\t{{.Type}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                new Dictionary<string, string> { ["ID"] = "CACHE ID", ["Type"] = "CACHE TYPE", ["Size"] = "SIZE", ["CreatedSince"] = "CREATED", ["LastUsedSince"] = "LAST USED", ["UsageCount"] = "USAGE", ["Shared"] = "SHARED" },
                cache, GoShape.Context("*formatter.buildCacheContext"));
    }

    /// <summary>docker's diskUsageContext: four lists of formatter contexts.</summary>
    private static readonly GoShape DfVerbose = GoShape.Struct("formatter.diskUsageContext",
        new("Images", GoShape.SliceOf(GoShape.Context("*formatter.imageContext"))),
        new("Containers", GoShape.SliceOf(GoShape.Context("*formatter.ContainerContext"))),
        new("Volumes", GoShape.SliceOf(GoShape.Context("*formatter.volumeContext"))),
        new("BuildCache", GoShape.SliceOf(GoShape.Context("*formatter.buildCacheContext"))));

    private static Command Check()
    {
        var repair = new Option<bool>("--repair") { Description = "Remove what is unreachable or corrupt, then check again" };
        var layers = new Option<bool>("--verify-layers") { Description = "Also decompress every layer and check it against the config's diff ID" };
        var command = new Command("check", "Verify every blob, image, name and unpacked layer of the store") { repair, layers };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsIsToFreeSpaceAsync(parse, ct).ConfigureAwait(false);
            var leftovers = await LeftoverReaper.CheckAsync(store, parse.GetValue(repair), ct).ConfigureAwait(false);
            var report = await StoreChecker.CheckAsync(StoreGc.For(store), parse.GetValue(repair), parse.GetValue(layers), ct).ConfigureAwait(false);
            report = report with { Findings = [.. report.Findings, .. leftovers.Findings], Repairs = [.. leftovers.Repairs, .. report.Repairs] };
            foreach (var repairLine in report.Repairs) Console.Out.WriteLine("repaired: " + repairLine);
            foreach (var f in report.Findings) Console.Out.WriteLine($"{(f.Severity == CheckSeverity.Fault ? "FAULT" : "unused")}: {f.Message}");
            int faults = report.Findings.Count(f => f.Severity == CheckSeverity.Fault);
            Console.Out.WriteLine($"checked {report.BlobsChecked} blobs, {report.ImagesChecked} images, {report.SnapshotsChecked} unpacked layers: {faults} faults, {report.Findings.Count - faults} unused items");
            return faults > 0 ? 1 : 0;
        });
        return command;
    }
}
