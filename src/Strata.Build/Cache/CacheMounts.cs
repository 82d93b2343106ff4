using Strata.Images;

namespace Strata.Build.Cache;

/// <summary>
/// Where RUN <c>--mount=type=cache</c> keeps its content: one directory per cache mount under
/// <c>&lt;store&gt;/cache/mounts/NAME/</c>, the content directly inside (lock files live outside).
/// </summary>
internal static class CacheMounts
{
    public static string Root(ImageStore store) => store.Layout.CacheMounts;

    /// <summary>A name that is one plain path component (an imported name can never reach outside the folder).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 255 && name is not ("." or "..") && !name.StartsWith('.') && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal);
}
