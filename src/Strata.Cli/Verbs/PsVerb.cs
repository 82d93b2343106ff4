using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary><c>strata ps [-a] [-q] [-s] [--no-trunc] [--format F]</c>: docker's columns.</summary>
internal static class PsVerb
{
    private const string DefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["RunningFor"] = "CREATED", ["CreatedAt"] = "CREATED AT",
        ["Status"] = "STATUS", ["State"] = "STATE", ["Ports"] = "PORTS", ["Names"] = "NAMES", ["Size"] = "SIZE",
    };

    public static Command Create(string name)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file sizes" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var command = new Command(name, "List containers") { all, quiet, size, noTrunc, format };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var containers = await manager.ListAsync(ct).ConfigureAwait(false);
            bool trunc = !parse.GetValue(noTrunc);
            var now = DateTimeOffset.UtcNow;
            var shown = containers.Where(c => parse.GetValue(all) || c.Status == ContainerStatus.Running).ToList();
            var rows = shown.Select(c => Row(c, trunc, now)).ToList();
            if (parse.GetValue(quiet))
            {
                foreach (var row in rows) Console.Out.WriteLine((string)row["ID"]!);
                return 0;
            }
            var template = parse.GetValue(format) ?? (parse.GetValue(size) ? DefaultFormat + "\t{{.Size}}" : DefaultFormat);
            // As docker asks the daemon for sizes: with -s, or when the template reads .Size.
            if (parse.GetValue(size) || template.Contains(".Size", StringComparison.Ordinal))
            {
                for (int i = 0; i < shown.Count; i++)
                    rows[i]["Size"] = ContainerColumns.Size(await manager.SizeAsync(shown[i], ct).ConfigureAwait(false));
            }
            Console.Out.Write(FormattedOutput.Render(template, Headers, rows, GoShape.Context("*formatter.ContainerContext")));
            return 0;
        });
        return command;
    }

    private static JsonObject Row(ContainerState c, bool trunc, DateTimeOffset now)
    {
        return new JsonObject
        {
            ["ID"] = trunc ? c.Id[..12] : c.Id,
            ["Image"] = c.Image,
            ["Command"] = ContainerColumns.Command(c.Command, trunc),
            ["RunningFor"] = HumanUnits.Since(c.CreatedAt, now),
            ["CreatedAt"] = c.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ["Status"] = ContainerColumns.Status(c, now),
            ["State"] = c.Status.ToText(),
            ["Ports"] = DockerPorts.Column(c),
            ["Names"] = c.Name,
        };
    }
}
