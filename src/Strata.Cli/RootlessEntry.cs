using System.CommandLine;
using System.Globalization;
using Strata.Core.Unix;
using Strata.Execution.Rootless;
using Strata.Images.Access;

namespace Strata.Cli;

/// <summary>
/// Rootless strata: a command run by a non-root user runs again inside a user namespace where
/// the user is root and its subordinate ids are mapped (and a private mount namespace, so its
/// overlay mounts are its own), as <c>buildah unshare</c> does. The outer process only checks,
/// maps and waits; the inner one does the work and knows it is rootless from
/// <see cref="Variable"/> (inside, it is uid 0 like real root).
/// </summary>
internal static class RootlessEntry
{
    /// <summary>Set for the inner process: the user's uid outside.</summary>
    public const string Variable = "STRATA_ROOTLESS_UID";

    /// <summary>True for a rootless strata, outside its namespace or inside.</summary>
    public static bool IsRootless => Libc.Geteuid() != 0 || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));

    /// <summary>
    /// The shim outside when the AOT binary's native start-up already entered the namespace
    /// (Native/rootless_entry.c), else null. Read once, first thing (<see cref="CompleteEntry"/>).
    /// </summary>
    private static readonly RootlessShim? Shim = RootlessShim.FromEnvironment();

    /// <summary>Called first: completes the handshake when this process was started inside the namespace.</summary>
    public static void CompleteEntry()
    {
        _ = Shim;
        UserNamespaceLauncher.CompleteEntry(Environment.GetEnvironmentVariable(UserNamespaceLauncher.SyncVariable));
    }

    /// <summary>
    /// As root (or already inside): null, go on. As another user: runs this command again inside
    /// its user namespace and returns that exit code; refuses a store that is not the user's first,
    /// while its owner can still be named.
    /// </summary>
    public static async Task<int?> RunInsideAsync(string[] args, ParseResult parse, CancellationToken cancellationToken)
    {
        if (Shim is not null)
        {
            await EnteredAtStartAsync(Shim, parse).ConfigureAwait(false);
            return null;
        }
        int uid = Libc.Geteuid();
        if (uid == 0) return null;
        StoreAccess.RefuseForeign(GlobalOptions.ResolveRoot(parse));
        var plan = UserNamespacePlan.Create(new UserNamespaceHost { Uid = uid, Gid = Libc.Getegid(), UserName = Environment.UserName });
        if (plan.Warning is not null && !Quiet) await Console.Error.WriteLineAsync(plan.Warning).ConfigureAwait(false);
        if (parse.GetValue(GlobalOptions.Debug))
            await Console.Error.WriteLineAsync($"debug: rootless: entering a user namespace with uids {Describe(plan.UidMappings)} and gids {Describe(plan.GidMappings)}").ConfigureAwait(false);
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the strata binary is unknown");
        var environment = new Dictionary<string, string> { [Variable] = uid.ToString(CultureInfo.InvariantCulture) };
        string join = Path.Combine(RuntimeDirectory(), "join-" + Guid.NewGuid().ToString("N")[..12]);
        int exit = await UserNamespaceLauncher.RunAsync(plan, self, args, new Dictionary<string, string>(environment) { [JoinVariable] = join }, RuntimeDirectory(), cancellationToken).ConfigureAwait(false);
        if (!File.Exists(join)) return exit;
        int pid = int.Parse(await File.ReadAllTextAsync(join, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture);
        File.Delete(join);
        if (plan.Nsenter is null)
            throw new Strata.Core.FailedPreconditionException("rootless strata needs nsenter (Debian package util-linux) to reach a running container's namespaces, and it is not installed");
        if (parse.GetValue(GlobalOptions.Debug))
            await Console.Error.WriteLineAsync($"debug: rootless: joining the user and mount namespaces of the container's monitor (pid {pid.ToString(CultureInfo.InvariantCulture)})").ConfigureAwait(false);
        return await UserNamespaceLauncher.JoinAsync(plan.Nsenter, pid, self, args, environment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The native start-up entered the namespace already (no second strata): the same checks the
    /// re-exec path makes outside, made from inside with the shim's view of the store's owner, and
    /// the same debug line, read back from this process's maps.
    /// </summary>
    private static async Task EnteredAtStartAsync(RootlessShim shim, ParseResult parse)
    {
        string root = GlobalOptions.ResolveRoot(parse);
        if (shim.OwnerOutside(root) is long owner)
            StoreAccess.RefuseForeign(root, owner, long.Parse(Environment.GetEnvironmentVariable(Variable)!, NumberStyles.None, CultureInfo.InvariantCulture));
        RuntimeDirectory();
        if (parse.GetValue(GlobalOptions.Debug))
            await Console.Error.WriteLineAsync($"debug: rootless: entering a user namespace with uids {DescribeMap("/proc/self/uid_map")} and gids {DescribeMap("/proc/self/gid_map")}").ConfigureAwait(false);
    }

    private static string DescribeMap(string file) =>
        string.Join(", ", File.ReadAllLines(file).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Where(l => l.Length > 0));

    /// <summary>Set for the inner process: the file where it asks the outer one to run the command again in another namespace.</summary>
    public const string JoinVariable = "STRATA_ROOTLESS_JOIN";

    /// <summary>
    /// Every rootless command enters a user namespace of its own, but a running container lives
    /// in the one of the strata that started it (kept by its monitor: the shim of a detached run,
    /// the foreground strata), where a newer namespace has no privilege (runc exec cannot join
    /// it; its root is mounted only there). Inside, when the container's monitor
    /// <paramref name="monitorPid"/> is in another user namespace, this asks the outer process to
    /// run the same command again in the monitor's namespaces and returns true: the caller then
    /// ends at once with nothing printed (with <paramref name="debug"/>, the native path's shim
    /// cannot print, so this says it joins). False when there is nothing to join (not rootless,
    /// already there, or joined already).
    /// </summary>
    public static bool RequestJoin(int monitorPid, bool debug)
    {
        if (Shim is not null)
        {
            if (UserNamespaceOf(monitorPid) == UserNamespaceOf(Environment.ProcessId)) return false;
            if (!UserNamespaceHost.DefaultSearchDirectories.Any(d => File.Exists(Path.Combine(d, "nsenter"))))
                throw new Strata.Core.FailedPreconditionException("rootless strata needs nsenter (Debian package util-linux) to reach a running container's namespaces, and it is not installed");
            if (debug)
                Console.Error.WriteLine($"debug: rootless: joining the user and mount namespaces of the container's monitor (pid {monitorPid.ToString(CultureInfo.InvariantCulture)})");
            Shim.RequestJoin(monitorPid);
            return true;
        }
        string? request = Environment.GetEnvironmentVariable(JoinVariable);
        if (string.IsNullOrEmpty(request) || UserNamespaceOf(monitorPid) == UserNamespaceOf(Environment.ProcessId)) return false;
        File.WriteAllText(request, monitorPid.ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable(JoinVariable, null);
        return true;
    }

    /// <summary>The user namespace of <paramref name="pid"/> ("user:[inode]"), or null when it cannot be read (then it is taken for another one).</summary>
    private static string? UserNamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/user").LinkTarget ?? $"unknown {pid.ToString(CultureInfo.InvariantCulture)}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable {pid.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    private static string Describe(IReadOnlyList<IdMapping> mappings) => string.Join(", ", mappings.Select(m => string.Join(' ', m.Arguments())));

    /// <summary>STRATA_ROOTLESS_QUIET=1 silences the single-mapping warning for users who know.</summary>
    private static bool Quiet => Environment.GetEnvironmentVariable("STRATA_ROOTLESS_QUIET") == "1";

    /// <summary>
    /// The rootless user's runtime state: <c>$XDG_RUNTIME_DIR/strata</c>, else
    /// <c>/tmp/strata-UID</c>; created 0700 and refused when another user owns it (a planted
    /// /tmp directory would let that user swap our FIFOs and runc state).
    /// </summary>
    public static string RuntimeDirectory()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string outerUid = Environment.GetEnvironmentVariable(Variable) ?? Libc.Geteuid().ToString(CultureInfo.InvariantCulture);
        string dir = !string.IsNullOrEmpty(xdg) && Directory.Exists(xdg)
            ? Path.Combine(xdg, "strata")
            : Path.Combine(Path.GetTempPath(), "strata-" + outerUid);
        if (!Libc.TryLstat(dir, out _)) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var status = Libc.Lstat(dir);
        if (!status.IsDirectory || status.Uid != Libc.Geteuid() || (status.Permissions & 0x3F) != 0)
            throw new Strata.Core.FailedPreconditionException($"runtime directory {dir} is not a directory owned by you with mode 0700: remove it or set XDG_RUNTIME_DIR");
        return dir;
    }
}
