using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// A base image an exported cache's builds started from: the name a FROM wrote and the image's
/// ID (its config digest, as <c>strata images</c> shows it). An importing build whose base of that
/// name is another image can then say why nothing hits, instead of "no previous build".
/// </summary>
internal sealed record CacheManifestBase
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    /// <summary>The base image a step's inputs name, or null for scratch, a stage or a context.</summary>
    public static CacheManifestBase? Of(StepInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!inputs.Base.StartsWith("image ", StringComparison.Ordinal)) return null;
        // The base text names the image by its digests; the last one is the config's (the image ID).
        var id = inputs.Base.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(w => Digest.TryParse(w, out _));
        return id is null ? null : new CacheManifestBase { Name = inputs.BaseName, Image = id };
    }
}
