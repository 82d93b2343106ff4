using System.Globalization;
using Strata.Core;

namespace Strata.Rootfs.Users;

/// <summary>
/// Resolves USER and <c>--chown</c> specs (<c>name</c>, <c>uid</c>, <c>name:group</c>,
/// <c>uid:gid</c>) through the image's own /etc/passwd and /etc/group, as docker does: numeric
/// ids need no entry; a name without an entry is an error naming it; the primary group comes
/// from passwd and supplementary groups from group (for RUN).
/// </summary>
public sealed class UserDatabase
{
    private readonly List<string[]> _passwd;
    private readonly List<string[]> _group;

    private UserDatabase(List<string[]> passwd, List<string[]> group)
    {
        _passwd = passwd;
        _group = group;
    }

    public static UserDatabase Empty { get; } = new([], []);

    /// <summary>Reads etc/passwd and etc/group under <paramref name="rootfs"/> (missing files mean no entries).</summary>
    public static async Task<UserDatabase> ReadAsync(string rootfs, CancellationToken cancellationToken)
    {
        return new UserDatabase(
            await ReadTableAsync(ScopedPath.Resolve(rootfs, "/etc/passwd"), cancellationToken).ConfigureAwait(false),
            await ReadTableAsync(ScopedPath.Resolve(rootfs, "/etc/group"), cancellationToken).ConfigureAwait(false));
    }

    public static UserDatabase Parse(string passwd, string group) => new(Table(passwd), Table(group));

    private static async Task<List<string[]>> ReadTableAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? Table(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) : [];

    private static List<string[]> Table(string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'))];

    /// <summary>A RUN user: uid, primary gid and supplementary groups.</summary>
    public ResolvedUser ResolveRunUser(string? spec)
    {
        if (string.IsNullOrEmpty(spec)) spec = "0";
        var parts = spec.Split(':', 2);
        uint uid;
        uint gid;
        string? userName = null;
        if (TryNumber(parts[0], out uid))
        {
            var entry = _passwd.FirstOrDefault(p => p.Length > 3 && p[2] == parts[0]);
            gid = entry is not null && TryNumber(entry[3], out var g) ? g : 0;
            userName = entry?[0];
        }
        else
        {
            var entry = _passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                ?? throw new InvalidArgumentException($"unable to find user {parts[0]}: no matching entries in passwd file");
            uid = Number(entry[2], "uid", parts[0]);
            gid = Number(entry[3], "gid", parts[0]);
            userName = entry[0];
        }
        if (parts.Length == 2) gid = ResolveGroup(parts[1]);
        var additional = parts.Length == 2 || userName is null
            ? []
            : _group.Where(g => g.Length > 3 && g[3].Split(',').Contains(userName) && TryNumber(g[2], out _)).Select(g => Number(g[2], "gid", g[0])).Where(g => g != gid).Distinct().ToList();
        return new ResolvedUser(uid, gid, additional);
    }

    /// <summary>A <c>--chown</c> owner: a user alone means its primary group only when the user is named, else gid = uid (docker's rule).</summary>
    public (uint Uid, uint Gid) ResolveChown(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':', 2);
        uint uid;
        uint gid;
        if (TryNumber(parts[0], out uid))
        {
            gid = uid;
        }
        else
        {
            var entry = _passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                ?? throw new InvalidArgumentException($"unable to convert uid/gid chown string to host mapping: can't find uid for user {parts[0]}: no such user: {parts[0]}");
            uid = Number(entry[2], "uid", parts[0]);
            gid = Number(entry[3], "gid", parts[0]);
        }
        if (parts.Length == 2) gid = ResolveGroup(parts[1]);
        return (uid, gid);
    }

    private uint ResolveGroup(string group)
    {
        if (TryNumber(group, out var gid)) return gid;
        var entry = _group.FirstOrDefault(g => g.Length > 2 && g[0] == group)
            ?? throw new InvalidArgumentException($"unable to find group {group}: no matching entries in group file");
        return Number(entry[2], "gid", group);
    }

    private static bool TryNumber(string text, out uint value) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static uint Number(string text, string what, string name) =>
        TryNumber(text, out var v) ? v : throw new InvalidArgumentException($"invalid {what} \"{text}\" for {name} in the image's passwd/group files");
}
