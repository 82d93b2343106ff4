using System.Security.Cryptography;
using System.Text;

namespace Strata.Images;

/// <summary>
/// Where <c>ADD &lt;git repository&gt;</c> keeps its clones: <c>&lt;store&gt;/git-cache/</c>, one
/// entry per remote URL, named by the URL's sha256 (<see cref="KeyOf"/>). Entry KEY is <c>KEY/</c>
/// (a bare repository holding the fetched commits, each pinned by <c>refs/strata/COMMIT</c>),
/// <c>KEY.lock</c> (flocked exclusively by a build while it fetches into or checks out of the
/// entry) and <c>KEY.url</c> (the remote as written; its mtime is the entry's last use). Kept apart
/// from <see cref="HttpCacheLayout"/>: a clone is a directory git owns, not a downloaded file.
/// </summary>
public sealed record GitCacheLayout(string Root)
{
    /// <summary>The entry name of <paramref name="remote"/>: 64 hex digits, always one safe path component.</summary>
    public static string KeyOf(string remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(remote)));
    }

    public string EntryDirectory(string key) => Path.Combine(Root, key);

    public string LockFile(string key) => Path.Combine(Root, key + ".lock");

    public string UrlFile(string key) => Path.Combine(Root, key + ".url");
}
