using System.Globalization;
using Strata.Core;

namespace Strata.Execution.Rootless;

/// <summary>
/// How a rootless user enters its user namespace: the user as root plus its subordinate ranges
/// (through the setuid helpers newuidmap/newgidmap, since only they may map ids the user does
/// not own), or, without ranges, the user alone as root (written directly, which the kernel
/// allows for one's own id) with <see cref="Warning"/> saying what will not work.
/// </summary>
public sealed record UserNamespacePlan
{
    public required IReadOnlyList<IdMapping> UidMappings { get; init; }

    public required IReadOnlyList<IdMapping> GidMappings { get; init; }

    /// <summary>util-linux <c>unshare</c>: creates the namespaces in a single-threaded process (a .NET process cannot).</summary>
    public required string Unshare { get; init; }

    /// <summary>util-linux <c>nsenter</c>, to join the namespaces of a detached container's monitor; null when not installed.</summary>
    public string? Nsenter { get; init; }

    /// <summary>newuidmap, or null for the single mapping written directly.</summary>
    public string? NewUidMap { get; init; }

    /// <summary>newgidmap, or null for the single mapping written directly.</summary>
    public string? NewGidMap { get; init; }

    /// <summary>One line for the user when something will not work in this namespace, else null.</summary>
    public string? Warning { get; init; }

    /// <summary>
    /// The plan for <paramref name="host"/>, or a <see cref="FailedPreconditionException"/> whose
    /// one line names the missing piece (user namespaces off, no unshare, ranges without newuidmap).
    /// </summary>
    public static UserNamespacePlan Create(UserNamespaceHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        CheckKernel(host.ProcSys);
        string unshare = Find(host, "unshare")
            ?? throw new FailedPreconditionException("rootless strata needs unshare (Debian package util-linux) to enter a user namespace, and it is not installed");
        var uids = SubordinateIds.Read(host.SubuidFile, host.UserName, host.Uid);
        var gids = SubordinateIds.Read(host.SubgidFile, host.UserName, host.Gid);
        IdMapping uidSelf = new(0, host.Uid, 1), gidSelf = new(0, host.Gid, 1);
        if (uids.Count == 0 || gids.Count == 0)
        {
            string missing = uids.Count == 0 ? host.SubuidFile : host.SubgidFile;
            return new UserNamespacePlan
            {
                UidMappings = [uidSelf],
                GidMappings = [gidSelf],
                Unshare = unshare,
                Nsenter = Find(host, "nsenter"),
                Warning = $"warning: {missing} gives {host.UserName} no subordinate range: only your own id is mapped (as root), so files owned by other users (a RUN chown, a package's own user) cannot be created",
            };
        }
        string newuidmap = Find(host, "newuidmap")
            ?? throw new FailedPreconditionException($"newuidmap is not installed (Debian package uidmap): it is needed to map the {host.SubuidFile} range of {host.UserName}");
        string newgidmap = Find(host, "newgidmap")
            ?? throw new FailedPreconditionException($"newgidmap is not installed (Debian package uidmap): it is needed to map the {host.SubgidFile} range of {host.UserName}");
        return new UserNamespacePlan
        {
            UidMappings = [uidSelf, .. Ranges(uids)],
            GidMappings = [gidSelf, .. Ranges(gids)],
            Unshare = unshare,
            Nsenter = Find(host, "nsenter"),
            NewUidMap = newuidmap,
            NewGidMap = newgidmap,
        };
    }

    private static IEnumerable<IdMapping> Ranges(IReadOnlyList<(long First, long Count)> ranges)
    {
        long next = 1;
        foreach (var (first, count) in ranges)
        {
            yield return new IdMapping(next, first, count);
            next += count;
        }
    }

    private static void CheckKernel(string procSys)
    {
        if (ReadNumber(Path.Combine(procSys, "user", "max_user_namespaces")) == 0)
            throw new FailedPreconditionException($"user namespaces are disabled ({procSys}/user/max_user_namespaces is 0): rootless strata needs them");
        if (ReadNumber(Path.Combine(procSys, "kernel", "unprivileged_userns_clone")) == 0)
            throw new FailedPreconditionException($"unprivileged user namespaces are disabled ({procSys}/kernel/unprivileged_userns_clone is 0): rootless strata needs them");
        if (ReadNumber(Path.Combine(procSys, "kernel", "apparmor_restrict_unprivileged_userns")) == 1)
            throw new FailedPreconditionException($"AppArmor restricts unprivileged user namespaces ({procSys}/kernel/apparmor_restrict_unprivileged_userns is 1): rootless strata needs them");
    }

    /// <summary>The number in a /proc/sys file, or null when the kernel has no such switch.</summary>
    private static long? ReadNumber(string file)
    {
        try
        {
            return long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Find(UserNamespaceHost host, string name) =>
        host.SearchDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
