using System.Globalization;
using Strata.Images;
using Strata.Oci;

namespace Strata.Analysis.Image;

/// <summary>What a Strata build recorded on the manifest: the base layer count and each history entry's Dockerfile line.</summary>
internal sealed record BuildProvenance(int? BaseLayers, string? Dockerfile, IReadOnlyList<int?> Lines)
{
    public static BuildProvenance From(ImageManifest manifest)
    {
        var a = manifest.Annotations;
        int? baseLayers = a is not null && a.TryGetValue(StoreAnnotations.BuildBaseLayers, out var b)
            && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
        string? file = a is not null && a.TryGetValue(StoreAnnotations.BuildDockerfile, out var f) && f.Length > 0 ? f : null;
        var lines = a is not null && a.TryGetValue(StoreAnnotations.BuildLines, out var l)
            ? l.Split(',').Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var line) && line > 0 ? line : (int?)null).ToList()
            : [];
        return new BuildProvenance(baseLayers, file, lines);
    }

    /// <summary><c>Dockerfile:LINE</c> of a history entry, or null.</summary>
    public string? SourceOf(int historyIndex) =>
        Dockerfile is not null && historyIndex >= 0 && historyIndex < Lines.Count && Lines[historyIndex] is { } line
            ? $"{Dockerfile}:{line.ToString(CultureInfo.InvariantCulture)}" : null;
}
