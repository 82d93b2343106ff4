using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Images.Views;

namespace Strata.Cli.Verbs;

/// <summary><c>strata history IMAGE</c> with docker's columns, template fields and flags.</summary>
internal static class HistoryVerb
{
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE", ["Comment"] = "COMMENT",
    };

    public static Command Create(string name)
    {
        var image = new Argument<string>("IMAGE");
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var platform = new Option<string?>("--platform") { Description = "Show the history of this platform's image of a multi-platform image (os/arch[/variant]; default: the host's)" };
        var command = new Command(name, "Show the history of an image") { image, noTrunc, quiet, human, format, platform };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var wanted = parse.GetValue(platform) is { } p ? Core.Platform.Parse(p) : null;
            var stored = await store.GetAsync(parse.GetValue(image)!, wanted, ct).ConfigureAwait(false);
            bool trunc = !parse.GetValue(noTrunc);
            bool isHuman = parse.GetValue(human);
            var now = DateTimeOffset.UtcNow;
            var rows = ImageHistory.For(stored).Select(h => Row(h, trunc, isHuman, now)).ToList();
            if (parse.GetValue(quiet))
            {
                foreach (var row in rows) Console.Out.WriteLine((string)row["ID"]!);
                return 0;
            }
            var defaultFormat = isHuman
                ? "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
                : "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
            Console.Out.Write(FormattedOutput.Render(parse.GetValue(format) ?? defaultFormat, Headers, rows, GoShape.Context("*image.historyContext")));
            return 0;
        });
        return command;
    }

    internal static JsonObject Row(HistoryItem h, bool trunc, bool human, DateTimeOffset now)
    {
        var createdAt = h.Created is { } c ? c.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "0001-01-01T00:00:00Z";
        var createdBy = h.CreatedBy.Replace('\t', ' ');
        return new JsonObject
        {
            ["ID"] = trunc && h.Id.StartsWith("sha256:", StringComparison.Ordinal) ? h.Id[7..19] : h.Id,
            ["CreatedSince"] = human ? (h.Created is { } t ? HumanUnits.Since(t, now) : "N/A") : createdAt,
            ["CreatedAt"] = createdAt,
            ["CreatedBy"] = trunc ? HumanUnits.Ellipsis(createdBy, 45) : createdBy,
            ["Size"] = human ? HumanUnits.Size(h.Size) : h.Size.ToString(CultureInfo.InvariantCulture),
            ["Comment"] = h.Comment,
        };
    }
}
