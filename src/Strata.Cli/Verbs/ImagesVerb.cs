using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Core;
using Strata.Images.Views;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata images</c> / <c>strata image ls</c>: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker.
/// A multi-platform image is one row per name, as docker 25+ with the containerd image store
/// shows it (see <see cref="ImageListing"/>); <c>--tree</c> lists its platforms.
/// </summary>
internal static class ImagesVerb
{
    private const string DefaultFormat = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    private static readonly Dictionary<string, string> Headers = new()
    {
        ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Digest"] = "DIGEST",
    };

    public static Command Create(string name)
    {
        var filter = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne, Description = "Only images of this repository (and tag)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (intermediate images too)" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var tree = new Option<bool>("--tree") { Description = "List multi-platform images as a tree of their platforms" };
        var command = new Command(name, "List images") { filter, quiet, noTrunc, all, format, tree };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var stored = await store.ListAsync(ct).ConfigureAwait(false);
            var indexes = await store.Indexes.ListAsync(ct).ConfigureAwait(false);
            var listing = ImageListing.Of(stored, indexes);
            if (parse.GetValue(tree))
            {
                Console.Out.Write(ImageTree.Render(listing, parse.GetValue(all), !parse.GetValue(noTrunc)));
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            bool trunc = !parse.GetValue(noTrunc);
            var wanted = parse.GetValue(filter);
            var rows = new List<JsonObject>();
            foreach (var image in listing)
            {
                var names = image.Tags.Count == 0 ? [null] : image.Tags.Cast<ImageReference?>().ToList();
                foreach (var tag in names)
                {
                    var repository = tag?.FamiliarRepository ?? "<none>";
                    var tagName = tag?.Tag ?? "<none>";
                    if (wanted is not null && !Matches(wanted, repository, tagName)) continue;
                    rows.Add(new JsonObject
                    {
                        ["Repository"] = repository,
                        ["Tag"] = tagName,
                        ["ID"] = trunc ? image.Id.ShortHex : image.Id.Value,
                        ["Digest"] = image.Digest.Value,
                        ["CreatedSince"] = image.Created is { } c ? HumanUnits.Since(c, now) : "N/A",
                        ["CreatedAt"] = image.Created is { } c2 ? c2.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "",
                        ["Size"] = HumanUnits.Size(image.Size),
                        // docker 20.10's imageContext: VirtualSize with HumanSize, shared sizes only in df -v.
                        ["VirtualSize"] = HumanUnits.HumanSize(image.Size),
                        ["SharedSize"] = "N/A",
                        ["UniqueSize"] = "N/A",
                        ["Containers"] = "N/A",
                    });
                }
            }
            if (parse.GetValue(quiet))
            {
                foreach (var id in rows.Select(r => (string)r["ID"]!).Distinct()) Console.Out.WriteLine(id);
                return 0;
            }
            Console.Out.Write(FormattedOutput.Render(parse.GetValue(format) ?? DefaultFormat, Headers, rows, GoShape.Context("*formatter.imageContext")));
            return 0;
        });
        return command;
    }

    private static bool Matches(string wanted, string repository, string tag)
    {
        int colon = wanted.LastIndexOf(':');
        if (colon > wanted.LastIndexOf('/'))
            return repository == wanted[..colon] && tag == wanted[(colon + 1)..];
        return repository == wanted || (ImageReference.TryParse(wanted, out var r) && r.FamiliarRepository == repository);
    }
}
