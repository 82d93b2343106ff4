using Strata.Core;

namespace Strata.Analysis.Image;

/// <summary>
/// For an image Strata did not build (no annotation says where its base ends): the base is the
/// longest proper layer prefix it shares with another known image (the FROM image is usually in
/// the store next to it). Null when none shares a layer.
/// </summary>
public static class BaseImageGuess
{
    public static int? LongestSharedPrefix(IReadOnlyList<DiffId> image, IEnumerable<IReadOnlyList<DiffId>> others)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(others);
        int best = 0;
        foreach (var other in others)
        {
            // Only a proper prefix: an image that is this one (or longer) is not its base.
            if (other.Count >= image.Count || other.Count <= best) continue;
            bool prefix = true;
            for (int i = 0; i < other.Count && prefix; i++) prefix = other[i] == image[i];
            if (prefix) best = other.Count;
        }
        return best > 0 ? best : null;
    }
}
