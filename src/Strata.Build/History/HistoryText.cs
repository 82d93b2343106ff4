using System.Globalization;
using System.Text;
using Strata.Dockerfile.Instructions;
using Strata.Oci;

namespace Strata.Build.History;

/// <summary>
/// The <c>created_by</c> text of a build step, in the shape BuildKit's Dockerfile frontend
/// writes (so <c>history</c> reads the same as for a docker-built image): RUN shows the shell
/// and the build args in scope (<c>RUN |1 V=1 /bin/sh -c ...</c>), file steps end in
/// <c># buildkit</c>, metadata steps print the value Go-style.
/// </summary>
public static class HistoryText
{
    /// <summary>The history comment marking a step Strata built.</summary>
    public const string Comment = "strata.dockerfile.v0";

    public static string ForRun(IReadOnlyList<string> args, IReadOnlyList<KeyValuePair<string, string>> buildArgs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(buildArgs);
        var sb = new StringBuilder("RUN ");
        if (buildArgs.Count > 0)
        {
            sb.Append('|').Append(buildArgs.Count.ToString(CultureInfo.InvariantCulture)).Append(' ');
            foreach (var (k, v) in buildArgs) sb.Append(k).Append('=').Append(v).Append(' ');
        }
        sb.AppendJoin(' ', args).Append(" # buildkit");
        return sb.ToString();
    }

    /// <summary>COPY and ADD: the sources and destination as written, flags left out (BuildKit's form).</summary>
    public static string ForFileStep(string keyword, IReadOnlyList<string> sources, string destination) =>
        $"{keyword} {string.Join(' ', sources)} {destination} # buildkit";

    public static string ForMetadata(Instruction instruction, ContainerConfig config)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(config);
        return instruction switch
        {
            EnvInstruction env => "ENV " + string.Join(' ', env.Variables.Select(v => $"{v.Key}={v.Value}")),
            LabelInstruction label => "LABEL " + string.Join(' ', label.Labels.Select(v => $"{v.Key}={v.Value}")),
            ExposeInstruction => "EXPOSE map[" + string.Join(' ', (config.ExposedPorts ?? new Dictionary<string, EmptyObject>()).Keys.Order(StringComparer.Ordinal).Select(p => p + ":{}")) + "]",
            UserInstruction user => "USER " + user.User,
            // The resolved directory, as BuildKit writes it: WORKDIR b after WORKDIR /a reads "WORKDIR /a/b".
            WorkdirInstruction workdir => "WORKDIR " + (config.WorkingDir is { Length: > 0 } dir ? dir : workdir.Path),
            CmdInstruction => "CMD " + GoJsonList(config.Cmd ?? []),
            EntrypointInstruction => "ENTRYPOINT " + GoJsonList(config.Entrypoint ?? []),
            ShellInstruction shell => "SHELL [" + string.Join(' ', shell.Shell) + "]",
            VolumeInstruction volume => "VOLUME [" + string.Join(' ', volume.Volumes) + "]",
            StopSignalInstruction stop => "STOPSIGNAL " + stop.Signal,
            OnbuildInstruction onbuild => "ONBUILD " + onbuild.Expression,
            MaintainerInstruction maintainer => "MAINTAINER " + maintainer.Maintainer,
            HealthcheckInstruction => "HEALTHCHECK " + Health(config.Healthcheck),
            ArgInstruction arg => "ARG " + string.Join(' ', arg.Args.Select(a => a.Default is null ? a.Name : $"{a.Name}={a.Default}")),
            _ => instruction.Keyword,
        };
    }

    // Go's %q of a []string: ["a" "b"] with Go string quoting.
    private static string GoJsonList(IReadOnlyList<string> items) => "[" + string.Join(' ', items.Select(GoQuote)) + "]";

    private static string Health(HealthConfig? h)
    {
        if (h is null) return "&{[] \"0s\" \"0s\" \"0s\" '\\x00'}";
        return $"&{{{GoJsonList(h.Test ?? [])} \"{GoDuration(h.Interval)}\" \"{GoDuration(h.Timeout)}\" \"{GoDuration(h.StartPeriod)}\" '\\x{h.Retries ?? 0:x2}'}}";
    }

    private static string GoDuration(long? nanoseconds)
    {
        if (nanoseconds is null or 0) return "0s";
        var t = TimeSpan.FromTicks(nanoseconds.Value / 100);
        var sb = new StringBuilder();
        if (t.TotalHours >= 1) sb.Append(((int)t.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        if (t.TotalMinutes >= 1) sb.Append(t.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        double seconds = t.Seconds + t.Milliseconds / 1000.0;
        sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }

    private static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < 0x20 => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
