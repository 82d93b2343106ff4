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

    /// <summary>Called first: completes the handshake when this process was started inside the namespace.</summary>
    public static void CompleteEntry() =>
        UserNamespaceLauncher.CompleteEntry(Environment.GetEnvironmentVariable(UserNamespaceLauncher.SyncVariable));

    /// <summary>
    /// As root (or already inside): null, go on. As another user: runs this command again inside
    /// its user namespace and returns that exit code; refuses a store that is not the user's first,
    /// while its owner can still be named.
    /// </summary>
    public static async Task<int?> RunInsideAsync(string[] args, ParseResult parse, CancellationToken cancellationToken)
    {
        int uid = Libc.Geteuid();
        if (uid == 0) return null;
        StoreAccess.RefuseForeign(GlobalOptions.ResolveRoot(parse));
        var plan = UserNamespacePlan.Create(new UserNamespaceHost { Uid = uid, Gid = Libc.Getegid(), UserName = Environment.UserName });
        if (plan.Warning is not null && !Quiet) await Console.Error.WriteLineAsync(plan.Warning).ConfigureAwait(false);
        if (parse.GetValue(GlobalOptions.Debug))
            await Console.Error.WriteLineAsync($"debug: rootless: entering a user namespace with uids {Describe(plan.UidMappings)} and gids {Describe(plan.GidMappings)}").ConfigureAwait(false);
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the strata binary is unknown");
        var environment = new Dictionary<string, string> { [Variable] = uid.ToString(CultureInfo.InvariantCulture) };
        return await UserNamespaceLauncher.RunAsync(plan, self, args, environment, RuntimeDirectory(), cancellationToken).ConfigureAwait(false);
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
