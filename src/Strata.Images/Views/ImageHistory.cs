using Strata.Core;

namespace Strata.Images.Views;

/// <summary>Builds <c>history</c> rows from an image's config history and its layers, newest first.</summary>
public static class ImageHistory
{
    public const string Missing = "<missing>";

    public static IReadOnlyList<HistoryItem> For(StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rows = new List<HistoryItem>();
        var history = image.Config.History ?? [];
        int layer = 0;
        if (history.Count == 0)
        {
            // Images made by tools that write no history: one row per layer, as docker shows them.
            foreach (var l in image.Layers) rows.Add(new HistoryItem(Missing, image.Config.Created, "", l.ContentSize, "", [], false));
        }
        foreach (var entry in history)
        {
            long size = 0;
            if (!entry.EmptyLayer)
            {
                if (layer >= image.Layers.Count)
                    throw new InvalidArgumentException($"image {image.Id}: history has more non-empty entries than the image has layers");
                size = image.Layers[layer++].ContentSize;
            }
            rows.Add(new HistoryItem(Missing, entry.Created, entry.CreatedBy ?? "", size, entry.Comment ?? "", [], entry.EmptyLayer));
        }
        if (rows.Count > 0)
        {
            rows[^1] = rows[^1] with { Id = image.Id.Value, Tags = [.. image.Tags.Select(t => t.Familiar)] };
        }
        rows.Reverse();
        return rows;
    }
}
