using System.Globalization;

namespace Strata.Execution.Rootless;

/// <summary>One line of a user namespace's uid_map or gid_map: <see cref="Size"/> ids from <see cref="HostId"/> appear as <see cref="ContainerId"/> onwards.</summary>
public sealed record IdMapping(long ContainerId, long HostId, long Size)
{
    /// <summary>The three numbers as newuidmap takes them and /proc/PID/uid_map shows them.</summary>
    public IEnumerable<string> Arguments() =>
        [ContainerId.ToString(CultureInfo.InvariantCulture), HostId.ToString(CultureInfo.InvariantCulture), Size.ToString(CultureInfo.InvariantCulture)];
}
