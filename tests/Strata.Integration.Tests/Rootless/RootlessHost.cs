using System.Globalization;
using Strata.Integration.Tests.Fixtures;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// The unprivileged users of the rootless tests, made here as CI makes nothing for them:
/// <c>strata-rl</c> with 65536 subordinate uids and gids in /etc/subuid and /etc/subgid, and
/// <c>strata-rl1</c> with none. The strata binary (with its libraries) is copied where they can
/// read it, and /dev/fuse and /dev/net/tun are made usable by every user, as udev makes them. Every
/// missing prerequisite fails the tests loudly: rootless is a promise, not an extra.
/// </summary>
public sealed class RootlessHost : IAsyncLifetime
{
    public const string RangedUser = "strata-rl";
    public const string SingleUser = "strata-rl1";
    private const long RangeSize = 65536;

    private readonly TempDir _binaries = new("strata-rootless-bin-");

    public string BinaryDirectory => _binaries.Path;

    public string Binary => Path.Combine(BinaryDirectory, Path.GetFileName(StrataCli.Binary));

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root") throw new XunitException("the rootless tests make their users with useradd and must run as root (CI does)");
        foreach (string tool in (string[])["/usr/sbin/useradd", "/usr/bin/setpriv", "/usr/bin/newuidmap", "/usr/bin/newgidmap", "/usr/bin/unshare"])
            if (!File.Exists(tool)) throw new XunitException($"{tool} is missing: run scripts/install-deps.sh (Debian packages passwd, util-linux, uidmap)");
        string maxUserNamespaces = (await File.ReadAllTextAsync("/proc/sys/user/max_user_namespaces")).Trim();
        if (maxUserNamespaces == "0") throw new XunitException("user namespaces are disabled here (/proc/sys/user/max_user_namespaces is 0)");
        // A distribution's udev makes both 0666 (systemd's 50-udev-default.rules); a machine without
        // udev (a container, a CI VM) may leave them 0600, and then no user may use fuse-overlayfs
        // or the default network. The rootless tests test the distribution's defaults.
        foreach (string device in (string[])["/dev/fuse", "/dev/net/tun"])
        {
            if (!File.Exists(device)) throw new XunitException($"{device} is missing: the kernel has no fuse or tun device here");
            File.SetUnixFileMode(device, File.GetUnixFileMode(device) | (UnixFileMode)0x1B6);
        }
        await EnsureUserAsync(RangedUser);
        await EnsureUserAsync(SingleUser);
        EnsureRange("/etc/subuid", RangedUser);
        EnsureRange("/etc/subgid", RangedUser);
        // useradd hands every new user a range (SUB_UID_COUNT in login.defs): take it back.
        RemoveRange("/etc/subuid", SingleUser);
        RemoveRange("/etc/subgid", SingleUser);
        CopyDirectory(Path.GetDirectoryName(StrataCli.Binary)!, BinaryDirectory);
    }

    public Task DisposeAsync()
    {
        _binaries.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>uid and gid of <paramref name="user"/>.</summary>
    public static async Task<(int Uid, int Gid)> IdsOfAsync(string user) =>
        (int.Parse((await Tools.OkAsync("/usr/bin/id", "-u", user)).Trim(), CultureInfo.InvariantCulture),
         int.Parse((await Tools.OkAsync("/usr/bin/id", "-g", user)).Trim(), CultureInfo.InvariantCulture));

    private static async Task EnsureUserAsync(string user)
    {
        if ((await ProcessRunner.RunAsync("/usr/bin/id", "-u", user)).ExitCode == 0) return;
        (await ProcessRunner.RunAsync("/usr/sbin/useradd", "-m", "-U", "-s", "/bin/sh", user)).EnsureSuccess();
    }

    /// <summary>Gives <paramref name="user"/> a range after every range the file already hands out, once.</summary>
    private static void EnsureRange(string file, string user)
    {
        var lines = File.Exists(file) ? File.ReadAllLines(file).ToList() : [];
        if (lines.Any(l => l.StartsWith(user + ":", StringComparison.Ordinal))) return;
        long next = 100000;
        foreach (var fields in lines.Select(l => l.Split(':')).Where(f => f.Length == 3))
            if (long.TryParse(fields[1], CultureInfo.InvariantCulture, out long first) && long.TryParse(fields[2], CultureInfo.InvariantCulture, out long count))
                next = Math.Max(next, first + count);
        File.AppendAllText(file, $"{user}:{next.ToString(CultureInfo.InvariantCulture)}:{RangeSize.ToString(CultureInfo.InvariantCulture)}\n");
    }

    private static void RemoveRange(string file, string user)
    {
        if (!File.Exists(file)) return;
        var lines = File.ReadAllLines(file);
        var kept = lines.Where(l => !l.StartsWith(user + ":", StringComparison.Ordinal)).ToList();
        if (kept.Count != lines.Length) File.WriteAllLines(file, kept);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.SetUnixFileMode(to, (UnixFileMode)0x1ED); // 0755
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, dir));
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
        }
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4);
        }
    }
}
