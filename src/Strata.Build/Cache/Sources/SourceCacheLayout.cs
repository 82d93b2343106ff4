using System.Security.Cryptography;
using System.Text;

namespace Strata.Build.Cache.Sources;

/// <summary>
/// A store directory where a build source keeps what it fetched, one entry per remote URL, named
/// by the URL's sha256 (<see cref="KeyOf"/>). Entry KEY is <c>KEY/</c> (what the source keeps),
/// <c>KEY.lock</c> (flocked exclusively by a build while it reads or writes the entry, and by a
/// prune while it removes it; never deleted) and <c>KEY.url</c> (the URL as written; its mtime is
/// the entry's last use). The build sources (<c>FileOps/HttpSource</c>, <c>FileOps/GitSource</c>)
/// write these entries and the cache's usage and prune code lists and removes them, all in this
/// room. <see cref="HttpCacheLayout"/> and <see cref="GitCacheLayout"/> are the two.
/// </summary>
public abstract record SourceCacheLayout(string Root)
{
    /// <summary>What marks an entry being removed beside its name (a crash leaves it as garbage, never a half-emptied entry).</summary>
    public const string RemovalMarker = ".del-";

    /// <summary>BuildKit's usage record type for such an entry, as <c>du -v</c> and <c>system df -v</c> show it.</summary>
    public abstract string RecordType { get; }

    /// <summary>What one entry is, for messages (<c>ADD download</c>, <c>ADD git clone</c>).</summary>
    public abstract string EntryKind { get; }

    /// <summary>What the entry of <paramref name="url"/> is, in BuildKit's words for its record's description (a password in the URL masked, as BuildKit does).</summary>
    public string Describe(string url) => DescriptionPrefix + Redacted(url);

    /// <summary>The description's words before the URL.</summary>
    protected abstract string DescriptionPrefix { get; }

    /// <summary>The entry name of <paramref name="url"/>: 64 hex digits, always one safe path component.</summary>
    public static string KeyOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
    }

    /// <summary>True for a name <see cref="KeyOf"/> can give (so nothing else under the root is taken for an entry).</summary>
    public static bool IsKey(string name) =>
        name.Length == 64 && name.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary><paramref name="url"/> with the password of its user information, if any, replaced by <c>xxxxx</c>.</summary>
    private static string Redacted(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.UserInfo.Contains(':', StringComparison.Ordinal)) return url;
        var user = uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)];
        return new UriBuilder(uri) { UserName = user, Password = "xxxxx" }.Uri.ToString();
    }

    public string EntryDirectory(string key) => Path.Combine(Root, key);

    public string LockFile(string key) => Path.Combine(Root, key + ".lock");

    public string UrlFile(string key) => Path.Combine(Root, key + ".url");
}
