using System.Security.Cryptography;
using System.Text;

namespace Strata.Images;

/// <summary>
/// Where <c>ADD &lt;url&gt;</c> keeps its downloads: <c>&lt;store&gt;/http-cache/</c>, one entry
/// per URL, named by the URL's sha256 (<see cref="KeyOf"/>). Entry KEY is <c>KEY/</c> (the
/// content, a file named by its digest's hex, and what is remembered of the response),
/// <c>KEY.lock</c> (flocked exclusively by a build while it reads or writes the entry, and by a
/// prune while it removes it) and <c>KEY.url</c> (the URL as written; its mtime is the entry's
/// last use). Build writes this layout; Images lists and removes it (<c>system df</c>,
/// <c>builder prune</c>), so it is defined here, where both see it.
/// </summary>
public sealed record HttpCacheLayout(string Root)
{
    /// <summary>What marks an entry being removed beside its name (a crash leaves it as garbage, never a half-emptied entry).</summary>
    public const string RemovalMarker = ".del-";

    /// <summary>The entry name of <paramref name="url"/>: 64 hex digits, always one safe path component.</summary>
    public static string KeyOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
    }

    /// <summary>True for a name <see cref="KeyOf"/> can give (so nothing else under the root is taken for an entry).</summary>
    public static bool IsKey(string name) =>
        name.Length == 64 && name.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public string EntryDirectory(string key) => Path.Combine(Root, key);

    public string LockFile(string key) => Path.Combine(Root, key + ".lock");

    public string UrlFile(string key) => Path.Combine(Root, key + ".url");
}
