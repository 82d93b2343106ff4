using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// Checks a <see cref="ContainerSpec"/> before any runtime sees it. The path rules exist because
/// the runtime resolves the working directory and mount targets with host file descriptors still
/// open (CVE-2024-21626: <c>WORKDIR /proc/self/fd/N</c> leaked a host directory into the
/// container on runc before 1.1.12), and because a destination with <c>..</c> is a request to
/// leave the root. Refusing them here protects whatever runtime version is installed.
/// </summary>
internal static class SpecRules
{
    private const int MaxIdLength = 128;

    /// <summary>Published ports need the NAT network (nothing else forwards them); slirp4netns listens on IPv4 addresses only.</summary>
    private static void ValidatePorts(ContainerSpec spec)
    {
        foreach (var port in spec.Ports ?? [])
        {
            if (spec.Network != NetworkMode.Nat)
                throw new InvalidArgumentException($"container {spec.Id}: port {port} is published, which needs the default network, not {spec.Network.ToString().ToLowerInvariant()}");
            if (port.HostPort is < 1 or > 65535 || port.ContainerPort is < 1 or > 65535 || port.Protocol is not ("tcp" or "udp")
                || !System.Net.IPAddress.TryParse(port.HostIp, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                throw new InvalidArgumentException($"container {spec.Id}: invalid published port {port}: want an IPv4 host address, ports 1-65535, tcp or udp");
        }
    }

    /// <summary>Throws <see cref="InvalidArgumentException"/> naming the first rule <paramref name="spec"/> breaks.</summary>
    public static void Validate(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateId(spec.Id);
        if (!Path.IsPathFullyQualified(spec.RootfsPath))
            throw new InvalidArgumentException($"container {spec.Id}: root filesystem path {spec.RootfsPath} is not absolute");
        var process = spec.Process ?? throw new InvalidArgumentException($"container {spec.Id}: no process");
        if (process.Args is null || process.Args.Count == 0)
            throw new InvalidArgumentException($"container {spec.Id}: the process has no arguments");
        foreach (var arg in process.Args)
            if (arg is null || arg.Contains('\0', StringComparison.Ordinal))
                throw new InvalidArgumentException($"container {spec.Id}: an argument is null or holds a NUL byte");
        foreach (var env in process.Env ?? [])
        {
            if (env is null || env.IndexOf('=', StringComparison.Ordinal) <= 0 || env.Contains('\0', StringComparison.Ordinal))
                throw new InvalidArgumentException($"container {spec.Id}: environment entry '{env}' is not KEY=value");
        }
        if (process.User is null)
            throw new InvalidArgumentException($"container {spec.Id}: no user");
        CheckContainerPath(process.Cwd, "working directory");
        ValidateHostname(spec.Hostname);
        foreach (var m in spec.Mounts ?? [])
        {
            CheckContainerPath(m.Destination, "mount destination");
            if (m.Destination == "/")
                throw new InvalidArgumentException("mount destination / would hide the root filesystem");
            if (string.IsNullOrEmpty(m.Type))
                throw new InvalidArgumentException($"mount at {m.Destination} has no type");
            if (IsBind(m) && (!m.Source.StartsWith('/') || HasDotDot(m.Source)))
                throw new InvalidArgumentException($"bind mount source {m.Source} for {m.Destination} must be an absolute path without '..'");
        }
        // An /etc/hosts line is "ADDRESS<TAB>HOST": a host with white space or an address that is not an IP would forge other lines.
        foreach (var host in spec.ExtraHosts ?? [])
            if (host.Host.Length == 0 || host.Host.Any(char.IsWhiteSpace) || (host.Address != HostEntry.HostGateway && !System.Net.IPAddress.TryParse(host.Address, out _)))
                throw new InvalidArgumentException($"invalid extra host {host.Host}:{host.Address}: want HOST:IP");
        ValidatePorts(spec);
        if (spec.ShmSize is <= 0)
            throw new InvalidArgumentException($"container {spec.Id}: /dev/shm size must be positive");
        foreach (var limit in spec.Rlimits ?? [])
            if (limit.Soft > limit.Hard)
                throw new InvalidArgumentException($"container {spec.Id}: {limit.Type} soft limit {limit.Soft} is above its hard limit {limit.Hard}");
        foreach (var cap in spec.ExtraCapabilities ?? [])
        {
            if (Capabilities.Normalize(cap) is null)
                throw new InvalidArgumentException($"unknown capability {cap}");
        }
    }

    /// <summary>
    /// A path inside the container must be absolute and clean (no empty, <c>.</c> or <c>..</c>
    /// component, no trailing slash) and must not name the file descriptors of a process.
    /// </summary>
    public static void CheckContainerPath(string? path, string what)
    {
        if (string.IsNullOrEmpty(path))
            throw new InvalidArgumentException($"{what} is empty");
        if (path.Contains('\0', StringComparison.Ordinal))
            throw new InvalidArgumentException($"{what} {path} holds a NUL byte");
        if (path[0] != '/')
            throw new InvalidArgumentException($"{what} {path} is not absolute");
        if (HasDotDot(path))
            throw new InvalidArgumentException($"{what} {path} has a '..' component that could leave the root");
        if (path != "/" && (path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal) || path.Contains("/./", StringComparison.Ordinal) || path.EndsWith("/.", StringComparison.Ordinal)))
            throw new InvalidArgumentException($"{what} {path} is not a clean path");
        if (ReachesHost(path))
            throw new InvalidArgumentException($"{what} {path} names process file descriptors, which could reach the host");
    }

    /// <summary>
    /// True for <c>/proc/self</c>, <c>/proc/thread-self</c>, <c>/proc/&lt;pid&gt;</c> and
    /// <c>/dev/fd</c> (a link to <c>/proc/self/fd</c>) and anything below them: through these a
    /// path can land on a descriptor the runtime inherited from the host.
    /// </summary>
    public static bool ReachesHost(string cleanAbsolutePath)
    {
        var parts = cleanAbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && parts[0] == "proc")
            return parts[1] is "self" or "thread-self" || parts[1].All(char.IsAsciiDigit);
        if (parts.Length >= 2 && parts[0] == "dev")
            return parts[1] is "fd" or "stdin" or "stdout" or "stderr";
        return false;
    }

    private static bool HasDotDot(string path) =>
        path.Split('/').Any(p => p == "..");

    private static bool IsBind(ContainerMount m) =>
        m.Type == "bind" || (m.Options ?? []).Any(o => o is "bind" or "rbind");

    private static void ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id is "." or ".."
            || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+' or '-'))
            throw new InvalidArgumentException($"container id '{id}' must be 1 to {MaxIdLength} letters, digits or _ . + -");
    }

    private static void ValidateHostname(string? hostname)
    {
        // Linux allows 64 bytes; the name also goes into /etc/hosts, so no blanks or slashes.
        if (string.IsNullOrEmpty(hostname) || hostname.Length > 64
            || !hostname.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            throw new InvalidArgumentException($"hostname '{hostname}' must be 1 to 64 letters, digits or - . _");
    }
}
