using Strata.Core;
using Strata.Dockerfile.Instructions;
using Strata.Oci;

namespace Strata.Build.Config;

/// <summary>
/// Applies the metadata instructions (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR,
/// VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, MAINTAINER) to an image's container config
/// the way BuildKit does. Used by builds and by <c>import --change</c>. Returns a new config.
/// </summary>
public static class ImageConfigEditor
{
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    /// <summary>True for the instructions that only change the config.</summary>
    public static bool IsMetadataOnly(Instruction instruction) => instruction is CmdInstruction or EntrypointInstruction or EnvInstruction
        or ExposeInstruction or LabelInstruction or UserInstruction or VolumeInstruction or StopSignalInstruction
        or HealthcheckInstruction or ShellInstruction or OnbuildInstruction or MaintainerInstruction;

    /// <param name="cmdSetInThisStage">Whether CMD was set earlier in the same stage: ENTRYPOINT keeps such a CMD and clears an inherited one.</param>
    public static ContainerConfig Apply(ContainerConfig config, Instruction instruction, bool cmdSetInThisStage)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(instruction);
        return instruction switch
        {
            // BuildKit marks every CMD ArgsEscaped (a Windows-compatibility flag Linux runtimes ignore).
            CmdInstruction cmd => config with { Cmd = Command(config, cmd.Command), ArgsEscaped = true },
            EntrypointInstruction ep => config with { Entrypoint = Command(config, ep.Command), Cmd = cmdSetInThisStage ? config.Cmd : null },
            EnvInstruction env => config with { Env = SetEnv(config.Env, env.Variables) },
            ExposeInstruction expose => config with { ExposedPorts = Merge(config.ExposedPorts, expose.Ports.SelectMany(ExpandPortRange)) },
            LabelInstruction label => config with { Labels = MergeLabels(config.Labels, label.Labels) },
            UserInstruction user => config with { User = user.User },
            WorkdirInstruction workdir => config with { WorkingDir = ResolveWorkdir(config.WorkingDir, workdir.Path) },
            VolumeInstruction volume => config with { Volumes = Merge(config.Volumes, volume.Volumes) },
            StopSignalInstruction stop => config with { StopSignal = stop.Signal },
            HealthcheckInstruction health => config with { Healthcheck = Health(health.Health) },
            ShellInstruction shell => config with { Shell = shell.Shell },
            OnbuildInstruction onbuild => config with { OnBuild = [.. config.OnBuild ?? [], onbuild.Expression] },
            MaintainerInstruction => config,
            _ => throw new InvalidArgumentException($"{instruction.Keyword} does not change the image config"),
        };
    }

    /// <summary>WORKDIR: relative paths resolve against the current one; the result is clean and absolute.</summary>
    public static string ResolveWorkdir(string? current, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var combined = path.StartsWith('/') ? path : (string.IsNullOrEmpty(current) ? "/" : current) + "/" + path;
        var parts = new List<string>();
        foreach (var part in combined.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static IReadOnlyList<string> Command(ContainerConfig config, CommandLine command) =>
        command.PrependShell ? [.. config.Shell ?? DefaultShell, string.Join(' ', command.Args)] : command.Args;

    private static IReadOnlyList<string> SetEnv(IReadOnlyList<string>? env, IReadOnlyList<KeyValue> variables)
    {
        var list = new List<string>(env ?? []);
        foreach (var kv in variables)
        {
            int i = list.FindIndex(e => e.StartsWith(kv.Key + "=", StringComparison.Ordinal) || e == kv.Key);
            var entry = $"{kv.Key}={kv.Value}";
            if (i >= 0) list[i] = entry;
            else list.Add(entry);
        }
        return list;
    }

    /// <summary>
    /// EXPOSE 8000-8002/tcp exposes each port of the range, as BuildKit's nat.ParsePortSpecs
    /// does (the config holds 8000/tcp, 8001/tcp, 8002/tcp, never the range).
    /// </summary>
    private static IEnumerable<string> ExpandPortRange(string port)
    {
        var normalized = NormalizePort(port);
        var slash = normalized.IndexOf('/', StringComparison.Ordinal);
        var range = normalized[..slash].Split('-');
        if (range.Length == 2
            && int.TryParse(range[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first)
            && int.TryParse(range[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
            && first <= last && last <= 65535)
        {
            var protocol = normalized[slash..];
            return Enumerable.Range(first, last - first + 1).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture) + protocol);
        }
        return [normalized];
    }

    private static string NormalizePort(string port) => port.Contains('/', StringComparison.Ordinal) ? port.ToLowerInvariant() : port + "/tcp";

    private static SortedDictionary<string, EmptyObject> Merge(IReadOnlyDictionary<string, EmptyObject>? existing, IEnumerable<string> keys)
    {
        var result = new SortedDictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var (k, v) in existing ?? new Dictionary<string, EmptyObject>()) result[k] = v;
        foreach (var k in keys) result[k] = EmptyObject.Instance;
        return result;
    }

    private static SortedDictionary<string, string> MergeLabels(IReadOnlyDictionary<string, string>? existing, IReadOnlyList<KeyValue> labels)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in existing ?? new Dictionary<string, string>()) result[k] = v;
        foreach (var kv in labels) result[kv.Key] = kv.Value;
        return result;
    }

    private static HealthConfig Health(HealthcheckConfig h) => new()
    {
        Test = h.Test,
        Interval = h.Interval == TimeSpan.Zero ? null : HealthConfig.ToNanoseconds(h.Interval),
        Timeout = h.Timeout == TimeSpan.Zero ? null : HealthConfig.ToNanoseconds(h.Timeout),
        StartPeriod = h.StartPeriod == TimeSpan.Zero ? null : HealthConfig.ToNanoseconds(h.StartPeriod),
        StartInterval = h.StartInterval == TimeSpan.Zero ? null : HealthConfig.ToNanoseconds(h.StartInterval),
        Retries = h.Retries == 0 ? null : h.Retries,
    };
}
