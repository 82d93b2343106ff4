using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// How a base image enters a stage's first cache key: by its config digest (the image ID), as
/// BuildKit keys an image source on its config. The config lists the layers' diff IDs, so it pins
/// the root filesystem; the manifest digest and the compressed blob digests only say how the
/// layers are stored. One image therefore keeps its keys however its layers travel: imported
/// uncompressed, saved as gzip and loaded into another store, pulled as zstd.
/// </summary>
internal static class BaseImageKey
{
    private const string Prefix = "image config ";

    /// <summary>The base text of an image whose config digest (image ID) is <paramref name="config"/>.</summary>
    public static string Of(Digest config) => Prefix + config;

    /// <summary>
    /// The image ID a base text names, or null when it names no image (scratch, a stage, a context).
    /// Also reads <c>image MANIFEST config ID</c>, the text older stores recorded (keys that
    /// followed the manifest digest), with <paramref name="byManifest"/> set, so a miss can say
    /// that only the way the key is made changed.
    /// </summary>
    public static Digest? ConfigOf(string text, out bool byManifest)
    {
        ArgumentNullException.ThrowIfNull(text);
        byManifest = false;
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
            return Digest.TryParse(text[Prefix.Length..], out var config) ? config : null;
        var words = text.Split(' ');
        if (words is ["image", var manifest, "config", var id] && Digest.TryParse(manifest, out _) && Digest.TryParse(id, out var legacy))
        {
            byManifest = true;
            return legacy;
        }
        return null;
    }
}
