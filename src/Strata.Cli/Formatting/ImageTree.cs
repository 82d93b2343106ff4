using System.Text;
using Strata.Images.Views;

namespace Strata.Cli.Formatting;

/// <summary>
/// <c>images --tree</c>, after docker 27's: one line per name, then one per platform of a
/// multi-platform image (the platform's manifest digest as its ID, as docker shows it). Only
/// present platforms unless <c>--all</c>, which adds the listed ones this store lacks, marked
/// in the PRESENT column. DISK USAGE is left out: the store does not keep unpacked sizes per
/// image, and CONTENT SIZE is what the blobs take.
/// </summary>
internal static class ImageTree
{
    public static string Render(IReadOnlyList<ImageListing> listing, bool all, bool truncate)
    {
        var lines = new List<(string Image, string Id, string Size, string Present)>();
        foreach (var row in listing)
        {
            string Id(Core.Digest d) => truncate ? d.ShortHex : d.Value;
            var names = row.Tags.Count == 0 ? ["<untagged>"] : row.Tags.Select(t => t.Familiar).ToList();
            foreach (var name in names)
            {
                lines.Add((name, Id(row.Id), HumanUnits.Size(row.Size), ""));
                var platforms = row.Platforms.Where(p => all || p.Present).ToList();
                for (int i = 0; i < platforms.Count; i++)
                {
                    var p = platforms[i];
                    var branch = i == platforms.Count - 1 ? "└─ " : "├─ ";
                    lines.Add((branch + (p.Platform?.ToString() ?? "unknown"), Id(p.Manifest), HumanUnits.Size(p.Size), p.Present ? "yes" : "no"));
                }
            }
        }
        int w1 = Math.Max("IMAGE".Length, lines.Select(l => l.Image.Length).DefaultIfEmpty(0).Max());
        int w2 = Math.Max("ID".Length, lines.Select(l => l.Id.Length).DefaultIfEmpty(0).Max());
        int w3 = Math.Max("CONTENT SIZE".Length, lines.Select(l => l.Size.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        void Line(string a, string b, string c, string d) => text.Append((a.PadRight(w1 + 3) + b.PadRight(w2 + 3) + c.PadLeft(w3) + "   " + d).TrimEnd()).Append('\n');
        Line("IMAGE", "ID", "CONTENT SIZE", "PRESENT");
        foreach (var l in lines) Line(l.Image, l.Id, l.Size, l.Present);
        return text.ToString();
    }
}
