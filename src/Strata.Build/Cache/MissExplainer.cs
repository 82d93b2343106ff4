using System.Globalization;

namespace Strata.Build.Cache;

/// <summary>
/// Says why a step's key differs from the previous build's same step: one short reason for the
/// progress line, or every difference for <c>--explain</c>. Reasons name the first cause in a
/// fixed order (base, parent, instruction, platform, args, files) because a change higher up
/// explains the ones below it.
/// </summary>
internal static class MissExplainer
{
    private const int ListedNames = 3;

    /// <summary>The reason, or null when the inputs are the same (the record itself is missing).</summary>
    public static string? Reason(StepInputs? previous, StepInputs current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null) return "no previous build";
        if (previous.Base != current.Base)
            return current.Base.StartsWith("stage ", StringComparison.Ordinal) ? $"base stage {current.BaseName} changed"
                : current.Base.StartsWith("context ", StringComparison.Ordinal) ? $"build context {current.BaseName} changed"
                : RekeyedOnly(previous, current) ? $"base image {current.BaseName} is keyed by its image ID now (the previous build's keys named its manifest digest)"
                : $"base image {current.BaseName} changed digest";
        if (previous.Definition != current.Definition) return $"instruction changed (was: {previous.Instruction})";
        if (previous.Parent != current.Parent) return "parent step changed";
        if (previous.Platform != current.Platform) return $"platform changed: {previous.Platform} -> {current.Platform}";
        if (RunOptionsReason(previous, current) is { } options) return options;
        if (ArgReason(previous.Args, current.Args) is { } arg) return arg;
        return FileReason(previous.Files, current.Files);
    }

    /// <summary>
    /// The reason for a step whose parent is a --link step that reused its layer on a new parent
    /// (BuildKit's rebase): that step stayed cached, but what it is placed on did not, so
    /// everything after it sees a new parent. <paramref name="why"/> is why the link step's own
    /// chained key missed (the base change, or an earlier rebase).
    /// </summary>
    public static string ParentRebased(int step, string why) => ParentRebased(step.ToString(CultureInfo.InvariantCulture), why);

    /// <summary>The same, naming the step as the progress labels it.</summary>
    public static string ParentRebased(string step, string why) => $"parent step {step} rebased ({why})";

    /// <summary>Whether a step's key differs from the previous build's in what it is placed on (base or parent key).</summary>
    public static bool ParentChanged(StepInputs previous, StepInputs current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return previous.Base != current.Base || previous.Parent != current.Parent;
    }

    /// <summary>
    /// Same image, other key: the previous build ran before keys followed the image ID and named
    /// the manifest too. Saying "changed digest" there would send the user looking for a new base.
    /// </summary>
    private static bool RekeyedOnly(StepInputs previous, StepInputs current) =>
        BaseImageKey.ConfigOf(previous.Base, out bool byManifest) is { } was && byManifest
        && BaseImageKey.ConfigOf(current.Base, out _) is { } now && was == now;

    /// <summary>
    /// The <c>--explain</c> line of a base change. Images are named by image ID (the config digest
    /// <c>strata images</c> shows), the only digest the key follows.
    /// </summary>
    private static string BaseLine(StepInputs previous, StepInputs current)
    {
        if (BaseImageKey.ConfigOf(previous.Base, out bool byManifest) is { } was && BaseImageKey.ConfigOf(current.Base, out _) is { } now)
        {
            return was == now
                ? $"base image {current.BaseName}: image ID {now} unchanged; the previous build's keys also named its manifest, keys now follow the image ID only"
                : $"base image {current.BaseName}: image ID {was} -> {now}" + (byManifest ? " (the previous build's keys also named its manifest)" : "");
        }
        return $"base: {previous.Base} -> {current.Base}";
    }

    private static string? RunOptionsReason(StepInputs previous, StepInputs current)
    {
        var was = previous.RunOptions ?? "";
        var now = current.RunOptions ?? "";
        return was == now ? null : $"RUN options changed: {(was.Length == 0 ? "(none)" : was)} -> {(now.Length == 0 ? "(none)" : now)}";
    }

    private static string? ArgReason(Dictionary<string, string> previous, Dictionary<string, string> current)
    {
        foreach (var name in previous.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            bool had = previous.TryGetValue(name, out var was);
            bool has = current.TryGetValue(name, out var now);
            if (had && has && was != now) return $"build arg {name} changed: {was} -> {now}";
            if (had && !has) return $"build arg {name} removed (was: {was})";
            if (!had && has) return $"build arg {name} added: {now}";
        }
        return null;
    }

    private static string? FileReason(List<SourceFile> previous, List<SourceFile> current)
    {
        var diff = FileDiff.Compare(previous, current);
        if (diff.Changed.Count > 0) return $"file changed: {Names(diff.Changed)}";
        if (diff.Added.Count > 0)
        {
            var files = diff.Added.Where(f => f.Type != "dir").ToList() is { Count: > 0 } nonDirs ? nonDirs : diff.Added;
            if (files.Count == 1) return $"file added: {files[0].Path}";
            var dir = CommonDirectory(files.Select(f => f.Path));
            return dir.Length == 0 ? $"{files.Count} files added" : $"{files.Count} files added under {dir}/";
        }
        if (diff.Removed.Count > 0)
        {
            var files = diff.Removed.Where(f => f.Type != "dir").ToList() is { Count: > 0 } nonDirs ? nonDirs : diff.Removed;
            return $"files removed: {Names(files)}";
        }
        if (diff.ModeChanged.Count > 0)
        {
            var owners = diff.ModeChanged.Where(p => p.Was.Mode == p.Now.Mode).ToList();
            return owners.Count == diff.ModeChanged.Count ? $"owner changed: {Names(owners.Select(p => p.Now).ToList())}" : $"mode changed: {Names(diff.ModeChanged.Where(p => p.Was.Mode != p.Now.Mode).Select(p => p.Now).ToList())}";
        }
        return null;
    }

    /// <summary>Every difference, one per line, for <c>--explain</c>.</summary>
    public static List<string> FullDiff(StepInputs? previous, StepInputs current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var lines = new List<string>();
        if (previous is null)
        {
            lines.Add("no inputs recorded for this step by a previous build of this Dockerfile and target");
            return lines;
        }
        if (previous.Base != current.Base) lines.Add(BaseLine(previous, current));
        if (previous.Parent != current.Parent) lines.Add($"parent key: {previous.Parent} -> {current.Parent}");
        if (previous.Definition != current.Definition)
        {
            lines.Add($"- {previous.Instruction}");
            lines.Add($"+ {current.Instruction}");
            if (previous.Instruction == current.Instruction) lines.Add($"expanded: {previous.Definition} -> {current.Definition}");
        }
        if (previous.Platform != current.Platform) lines.Add($"platform: {previous.Platform} -> {current.Platform}");
        if (RunOptionsReason(previous, current) is { } options) lines.Add(options);
        foreach (var name in previous.Args.Keys.Union(current.Args.Keys).Order(StringComparer.Ordinal))
        {
            var was = previous.Args.GetValueOrDefault(name);
            var now = current.Args.GetValueOrDefault(name);
            if (was != now) lines.Add($"arg {name}: {was ?? "(unset)"} -> {now ?? "(unset)"}");
        }
        var diff = FileDiff.Compare(previous.Files, current.Files);
        foreach (var f in diff.Added) lines.Add($"added: {f.Path} ({f.Type}{Hash(f)})");
        foreach (var f in diff.Removed) lines.Add($"removed: {f.Path} ({f.Type}{Hash(f)})");
        foreach (var f in diff.Changed)
        {
            var was = previous.Files.First(p => p.Path == f.Path);
            lines.Add($"changed: {f.Path} ({was.Type}, {was.Size} bytes{Hash(was)}{Link(was)} -> {f.Type}, {f.Size} bytes{Hash(f)}{Link(f)})");
        }
        foreach (var (was, now) in diff.ModeChanged)
            lines.Add($"mode: {now.Path} {Octal(was.Mode)} {was.Uid}:{was.Gid} -> {Octal(now.Mode)} {now.Uid}:{now.Gid}");
        return lines;
    }

    private static string Hash(SourceFile f) => f.Sha256 is { Length: >= 12 } h ? ", sha256:" + h[..12] : "";

    private static string Link(SourceFile f) => f.LinkTarget is null ? "" : " -> " + f.LinkTarget;

    private static string Octal(uint mode) => Convert.ToString(mode, 8).PadLeft(4, '0');

    private static string Names(IReadOnlyList<SourceFile> files)
    {
        var shown = string.Join(", ", files.Take(ListedNames).Select(f => f.Path.Length == 0 ? "." : f.Path));
        return files.Count > ListedNames ? $"{shown} (+{(files.Count - ListedNames).ToString(CultureInfo.InvariantCulture)} more)" : shown;
    }

    private static string CommonDirectory(IEnumerable<string> paths)
    {
        string[]? common = null;
        foreach (var p in paths)
        {
            var dirs = p.Split('/')[..^1];
            if (common is null) common = dirs;
            else
            {
                int n = 0;
                while (n < common.Length && n < dirs.Length && common[n] == dirs[n]) n++;
                common = common[..n];
            }
        }
        return common is null ? "" : string.Join('/', common);
    }
}
