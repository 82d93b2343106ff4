using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Execution;

namespace Strata.Build;

/// <summary>
/// Container options of every RUN step, as <c>docker build</c> takes them. Like BuildKit's
/// ExecOp (extra hosts and ulimits in its meta, the shm size as its /dev/shm mount) they are
/// part of each RUN's cache key, through <see cref="CacheText"/>; they never reach a layer.
/// </summary>
public sealed record RunOptions
{
    /// <summary>No extra hosts, Docker's 64 MiB /dev/shm, the default limits.</summary>
    public static RunOptions Default { get; } = new();

    private static readonly string[] UlimitNames =
        ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

    /// <summary><c>--add-host HOST:IP</c> lines of RUN's /etc/hosts, in the order given.</summary>
    public IReadOnlyList<HostEntry> ExtraHosts { get; init; } = [];

    /// <summary><c>--shm-size</c> in bytes; null: Docker's 64 MiB.</summary>
    public long? ShmSize { get; init; }

    /// <summary><c>--ulimit</c>: limits of RUN's process, in the order given (a later one of the same type wins).</summary>
    public IReadOnlyList<ProcessRlimit> Ulimits { get; init; } = [];

    /// <summary>The options as one line for the cache key and miss reasons; empty for the defaults, so keys of builds without them do not change.</summary>
    public string CacheText()
    {
        var sb = new StringBuilder();
        foreach (var h in ExtraHosts) sb.Append("--add-host ").Append(h.Host).Append(':').Append(h.Address).Append(' ');
        if (ShmSize is { } shm) sb.Append("--shm-size ").Append(shm.ToString(CultureInfo.InvariantCulture)).Append(' ');
        foreach (var u in Ulimits) sb.Append("--ulimit ").Append(UlimitName(u.Type)).Append('=').Append(u.Soft.ToString(CultureInfo.InvariantCulture)).Append(':').Append(u.Hard.ToString(CultureInfo.InvariantCulture)).Append(' ');
        return sb.ToString().TrimEnd();
    }

    /// <summary>The options from the flags' values; of two <c>--ulimit</c> of one type the later wins, as in docker.</summary>
    public static RunOptions FromFlags(IEnumerable<string> hosts, string? shmSize, IEnumerable<string> ulimits)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(ulimits);
        var limits = new List<ProcessRlimit>();
        foreach (var limit in ulimits.Select(ParseUlimit))
        {
            limits.RemoveAll(l => l.Type == limit.Type);
            limits.Add(limit);
        }
        return new RunOptions
        {
            ExtraHosts = [.. hosts.Select(ParseHost)],
            ShmSize = shmSize is null ? null : ParseSize(shmSize, "--shm-size"),
            Ulimits = limits,
        };
    }

    /// <summary>
    /// <c>HOST:IP</c> (split at the first colon, so <c>h:::1</c> is an IPv6 address). IP may be
    /// <c>host-gateway</c>: RUN then reaches the host's loopback services there (default network).
    /// </summary>
    public static HostEntry ParseHost(string value) => HostEntry.Parse(value);

    /// <summary>A positive size as docker reads it (<see cref="ByteSize"/>: 512k, 100m, 1g...).</summary>
    public static long ParseSize(string value, string flag) =>
        ByteSize.TryParse(value, out var bytes) && bytes > 0 ? bytes : throw new InvalidArgumentException($"{flag} \"{value}\": want a positive size such as 67108864, 512k, 100m or 1g");

    /// <summary><c>NAME=SOFT[:HARD]</c> (HARD defaults to SOFT), NAME one of Linux's limits as docker names them.</summary>
    public static ProcessRlimit ParseUlimit(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new InvalidArgumentException($"--ulimit \"{value}\": want NAME=SOFT[:HARD]");
        var name = value[..eq];
        if (!UlimitNames.Contains(name, StringComparer.Ordinal)) throw new InvalidArgumentException($"--ulimit \"{value}\": unknown limit \"{name}\" (one of {string.Join(", ", UlimitNames)})");
        var parts = value[(eq + 1)..].Split(':');
        if (parts.Length > 2 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft))
            throw new InvalidArgumentException($"--ulimit \"{value}\": want NAME=SOFT[:HARD] with non-negative integers");
        ulong hard = soft;
        if (parts.Length == 2 && !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out hard))
            throw new InvalidArgumentException($"--ulimit \"{value}\": want NAME=SOFT[:HARD] with non-negative integers");
        if (soft > hard) throw new InvalidArgumentException($"--ulimit \"{value}\": soft limit {soft} is above hard limit {hard}");
        return new ProcessRlimit("RLIMIT_" + name.ToUpperInvariant(), soft, hard);
    }

    private static string UlimitName(string type) => type.StartsWith("RLIMIT_", StringComparison.Ordinal) ? type["RLIMIT_".Length..].ToLowerInvariant() : type;
}
