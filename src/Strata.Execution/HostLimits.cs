using System.Globalization;
using Strata.Core.Unix;

namespace Strata.Execution;

/// <summary>
/// What this process may grant a container. Raising RLIMIT_NOFILE above one's own hard limit
/// needs CAP_SYS_RESOURCE, which a root inside another container often lacks; the runtime then
/// fails every start with "error setting rlimits", so the wanted limit is lowered instead.
/// </summary>
internal static class HostLimits
{
    private const int CapSysResource = 24;

    /// <summary><paramref name="wanted"/>, or this process's hard limit if it is lower and cannot be raised.</summary>
    public static ulong OpenFiles(ulong wanted)
    {
        // CAP_SYS_RESOURCE counts only in the host's user namespace: a rootless strata has it in
        // its own, where the kernel still refuses to raise a hard limit.
        if (!UserNamespace.IsNested && HasCapability(CapSysResource)) return wanted;
        var hard = HardOpenFilesLimit();
        return hard is { } h && h < wanted ? h : wanted;
    }

    private static bool HasCapability(int bit)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
                var mask = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return (mask & (1UL << bit)) != 0;
            }
        }
        catch (IOException)
        {
        }
        return false;
    }

    private static ulong? HardOpenFilesLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hard))
                    return hard;
                return null; // "unlimited"
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
