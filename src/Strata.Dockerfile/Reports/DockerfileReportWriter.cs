using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Reports;

/// <summary>Builds a <see cref="DockerfileReport"/> and renders it as JSON or as text for people.</summary>
public static class DockerfileReportWriter
{
    /// <summary>
    /// The report of a parsed and expanded Dockerfile: stages the target needs are shown expanded,
    /// pruned ones as written.
    /// </summary>
    public static DockerfileReport Create(DockerfileDefinition definition, ExpandedDockerfile expanded)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(expanded);
        var byIndex = expanded.Stages.ToDictionary(s => s.Stage.Index);
        var stages = new List<StageReport>();
        foreach (var raw in definition.Stages)
        {
            if (byIndex.TryGetValue(raw.Index, out var e))
                stages.Add(new StageReport(raw.Index, raw.Name, e.Stage.BaseName, e.Stage.Platform, e.BaseStage, true, e.Stage.Instructions));
            else
                stages.Add(new StageReport(raw.Index, raw.Name, raw.BaseName, raw.Platform, null, false, raw.Instructions));
        }
        var d = definition.Directives;
        return new DockerfileReport(d.Syntax, d.EscapeToken.ToString(), d.Check, expanded.Graph.Target.DisplayName,
            DeclaredGlobals(definition, expanded), stages, expanded.Graph.Edges, expanded.Warnings);
    }

    // Only the ARGs the Dockerfile declares before FROM; the predefined platform ARGs are in scope but would be noise.
    private static SortedDictionary<string, string> DeclaredGlobals(DockerfileDefinition definition, ExpandedDockerfile expanded)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in definition.GlobalArgs)
            foreach (var d in a.Args)
                if (expanded.GlobalArgs.TryGetValue(d.Name, out var v)) result[d.Name] = v;
        return result;
    }

    /// <summary>Indented JSON (camelCase; instructions carry an <c>"instruction"</c> discriminator).</summary>
    public static string ToJson(DockerfileReport report) => JsonSerializer.Serialize(report, Readable.DockerfileReport);

    // Dockerfiles are full of quotes, <, > and &: keep them readable instead of \u0027-escaped.
    // The output is never embedded in HTML.
    private static readonly DockerfileJsonContext Readable = new(new JsonSerializerOptions(DockerfileJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Reads a report back (for tools and tests).</summary>
    public static DockerfileReport? FromJson(string json) => JsonSerializer.Deserialize(json, DockerfileJsonContext.Default.DockerfileReport);

    /// <summary>A compact listing: one line per stage, one per instruction with its line number.</summary>
    public static string ToText(DockerfileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        if (report.Syntax is not null) sb.Append("syntax: ").AppendLine(report.Syntax);
        if (report.EscapeToken != "\\") sb.Append("escape: ").AppendLine(report.EscapeToken);
        foreach (var (k, v) in report.GlobalArgs) sb.Append(CultureInfo.InvariantCulture, $"global ARG {k}={v}").AppendLine();
        foreach (var s in report.Stages)
        {
            sb.Append(CultureInfo.InvariantCulture, $"stage {s.Index}");
            if (s.Name is not null) sb.Append(" (").Append(s.Name).Append(')');
            sb.Append(" FROM ").Append(s.BaseName);
            if (s.Platform is not null) sb.Append(" --platform=").Append(s.Platform);
            if (s.BaseStage is { } b) sb.Append(CultureInfo.InvariantCulture, $" [stage {b}]");
            if (s.Name == report.Target || s.Index.ToString(CultureInfo.InvariantCulture) == report.Target) sb.Append(" [target]");
            else if (!s.Required) sb.Append(" [not needed]");
            sb.AppendLine();
            foreach (var i in s.Instructions) sb.Append(CultureInfo.InvariantCulture, $"  {i.Range.StartLine,4}  {Describe(i)}").AppendLine();
        }
        return sb.ToString();
    }

    private static string Describe(Instruction i) => i switch
    {
        RunInstruction r => "RUN " + Flags(r.Mounts.Select(m => "--mount=" + m.Type.ToString().ToLowerInvariant() + ":" + m.Target), r.Network != RunNetwork.Default ? "--network=" + r.Network.ToString().ToLowerInvariant() : null, r.Security != RunSecurity.Sandbox ? "--security=insecure" : null) + Command(r.Command),
        CmdInstruction c => "CMD " + Command(c.Command),
        EntrypointInstruction e => "ENTRYPOINT " + Command(e.Command),
        CopyInstruction c => "COPY " + Flags([c.From is null ? null : "--from=" + c.From, c.Chown is null ? null : "--chown=" + c.Chown, c.Chmod is null ? null : "--chmod=" + c.Chmod, c.Link ? "--link" : null, c.Parents ? "--parents" : null, .. c.Excludes.Select(x => "--exclude=" + x)]) + string.Join(' ', c.Sources.Concat(c.Contents.Select(h => "<<" + h.Name))) + " -> " + c.Destination,
        AddInstruction a => "ADD " + Flags([a.Chown is null ? null : "--chown=" + a.Chown, a.Chmod is null ? null : "--chmod=" + a.Chmod, a.Link ? "--link" : null, a.KeepGitDir ? "--keep-git-dir" : null, a.Checksum is null ? null : "--checksum=" + a.Checksum, .. a.Excludes.Select(x => "--exclude=" + x)]) + string.Join(' ', a.Sources.Concat(a.Contents.Select(h => "<<" + h.Name))) + " -> " + a.Destination,
        EnvInstruction e => "ENV " + string.Join(' ', e.Variables.Select(kv => kv.Key + "=" + kv.Value)),
        LabelInstruction l => "LABEL " + string.Join(' ', l.Labels.Select(kv => kv.Key + "=" + kv.Value)),
        ArgInstruction a => "ARG " + string.Join(' ', a.Args.Select(d => d.Default is null ? d.Name : d.Name + "=" + d.Default)),
        ExposeInstruction x => "EXPOSE " + string.Join(' ', x.Ports),
        VolumeInstruction v => "VOLUME " + string.Join(' ', v.Volumes),
        UserInstruction u => "USER " + u.User,
        WorkdirInstruction w => "WORKDIR " + w.Path,
        StopSignalInstruction s => "STOPSIGNAL " + s.Signal,
        ShellInstruction s => "SHELL " + JsonList(s.Shell),
        MaintainerInstruction m => "MAINTAINER " + m.Maintainer,
        OnbuildInstruction o => "ONBUILD " + o.Expression,
        HealthcheckInstruction h => "HEALTHCHECK " + JsonList(h.Health.Test),
        _ => i.Original,
    };

    private static string Flags(IEnumerable<string?> flags, params string?[] more)
    {
        var all = flags.Concat(more).Where(f => f is not null).ToList();
        return all.Count == 0 ? "" : string.Join(' ', all) + " ";
    }

    private static string Command(CommandLine c) => c.PrependShell ? string.Join(' ', c.Args) : JsonList(c.Args);

    private static string JsonList(IReadOnlyList<string> items) => "[" + string.Join(", ", items.Select(Syntax.GoQuote.Quote)) + "]";
}
