using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary><c>strata ps [-a] [-q] [--no-trunc] [--format F]</c>: docker's columns.</summary>
internal static class PsVerb
{
    private const string DefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["RunningFor"] = "CREATED", ["CreatedAt"] = "CREATED AT",
        ["Status"] = "STATUS", ["State"] = "STATE", ["Ports"] = "PORTS", ["Names"] = "NAMES",
    };

    public static Command Create(string name)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var command = new Command(name, "List containers") { all, quiet, noTrunc, format };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var containers = await manager.ListAsync(ct).ConfigureAwait(false);
            bool trunc = !parse.GetValue(noTrunc);
            var now = DateTimeOffset.UtcNow;
            var rows = containers.Where(c => parse.GetValue(all) || c.Status == ContainerStatus.Running).Select(c => Row(c, trunc, now)).ToList();
            if (parse.GetValue(quiet))
            {
                foreach (var row in rows) Console.Out.WriteLine((string)row["ID"]!);
                return 0;
            }
            Console.Out.Write(FormattedOutput.Render(parse.GetValue(format) ?? DefaultFormat, Headers, rows, GoShape.Context("*formatter.ContainerContext")));
            return 0;
        });
        return command;
    }

    private static JsonObject Row(ContainerState c, bool trunc, DateTimeOffset now)
    {
        var commandLine = string.Join(' ', c.Command);
        return new JsonObject
        {
            ["ID"] = trunc ? c.Id[..12] : c.Id,
            ["Image"] = c.Image,
            ["Command"] = "\"" + (trunc ? HumanUnits.Ellipsis(commandLine, 20) : commandLine) + "\"",
            ["RunningFor"] = HumanUnits.Since(c.CreatedAt, now),
            ["CreatedAt"] = c.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ["Status"] = Status(c, now),
            ["State"] = c.Status.ToText(),
            ["Ports"] = DockerPorts.Column(c),
            ["Names"] = c.Name,
        };
    }

    /// <summary>docker's STATUS: <c>Created</c>, <c>Up 5 seconds</c>, <c>Exited (3) 2 minutes ago</c>.</summary>
    private static string Status(ContainerState c, DateTimeOffset now) => c.Status switch
    {
        ContainerStatus.Exited => $"Exited ({c.ExitCode ?? 0}) {HumanUnits.Since(c.FinishedAt ?? c.CreatedAt, now)}",
        ContainerStatus.Running => $"Up {HumanUnits.Duration(now - (c.StartedAt ?? c.CreatedAt))}",
        _ => "Created",
    };
}
