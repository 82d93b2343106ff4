using System.Globalization;

namespace Strata.Images.Views;

/// <summary>Builds docker-compatible <c>inspect</c> output for a stored image.</summary>
public static class ImageInspector
{
    public static ImageInspect For(StoredImage image, DateTimeOffset? lastTagTime)
    {
        ArgumentNullException.ThrowIfNull(image);
        var history = image.Config.History ?? [];
        return new ImageInspect
        {
            Id = image.Id.Value,
            RepoTags = [.. image.Tags.Select(t => t.Familiar)],
            RepoDigests = [],
            Comment = history.Count > 0 ? history[^1].Comment ?? "" : "",
            Created = image.Config.Created is { } c ? GoTime(c) : "",
            Author = image.Config.Author ?? "",
            Config = image.Config.Config,
            Architecture = image.Config.Architecture,
            Variant = image.Config.Variant,
            Os = image.Config.Os,
            Size = image.Record.Size,
            // No per-image directories: unpacked layers are shared snapshots, named by chain ID.
            GraphDriver = new InspectGraphDriver(new Dictionary<string, string>(), "overlay"),
            RootFS = new InspectRootFs("layers", [.. image.Config.RootFs.DiffIds.Select(d => d.ToString())]),
            Metadata = new InspectMetadata(lastTagTime is { } t ? GoTime(t) : "0001-01-01T00:00:00Z"),
            ManifestDigest = image.Record.ManifestDigest.Value,
        };
    }

    /// <summary>Go's RFC3339Nano: UTC "Z", fractional seconds without trailing zeros.</summary>
    public static string GoTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var text = utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        if (fraction != 0) text += "." + (fraction * 100).ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }
}
