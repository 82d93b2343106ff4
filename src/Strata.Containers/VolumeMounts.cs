using Strata.Core;
using Strata.Execution;

namespace Strata.Containers;

/// <summary><c>-v HOST:CONTAINER[:ro|rw]</c> as bind mounts. A missing host directory is created (docker's behaviour).</summary>
public static class VolumeMounts
{
    public static IReadOnlyList<ContainerMount> Parse(IReadOnlyList<string> volumes)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        var result = new List<ContainerMount>();
        foreach (var volume in volumes)
        {
            var parts = volume.Split(':');
            if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidArgumentException($"invalid volume specification: '{volume}': use HOST:CONTAINER[:ro]");
            var mode = parts.Length == 3 ? parts[2] : "rw";
            if (mode is not ("ro" or "rw"))
                throw new InvalidArgumentException($"invalid mode: {mode} in volume specification '{volume}'");
            if (!Path.IsPathFullyQualified(parts[0]))
                throw new InvalidArgumentException($"invalid volume specification: '{volume}': the host path must be absolute (named volumes are not supported)");
            if (!parts[1].StartsWith('/'))
                throw new InvalidArgumentException($"invalid volume specification: '{volume}': mount path must be absolute");
            var source = Path.GetFullPath(parts[0]);
            if (!Path.Exists(source)) Directory.CreateDirectory(source);
            var destination = "/" + string.Join('/', parts[1].Split('/', StringSplitOptions.RemoveEmptyEntries));
            result.Add(new ContainerMount(destination, "bind", source, ["rbind", mode]));
        }
        return result;
    }
}
