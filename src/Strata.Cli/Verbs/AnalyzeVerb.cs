using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Spectre.Console;
using Strata.Analysis.Image;
using Strata.Analysis.Image.Gates;
using Strata.Analysis.Image.Html;
using Strata.Analysis.Sarif;
using Strata.Analysis.Interactive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Registry.Pull;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata analyze IMAGE|ARCHIVE|OCI-LAYOUT-DIR|docker://REF</c>: wasted bytes traced to the
/// steps that caused them, copy-ups, package caches and secrets (Strata.Analysis.Image), as a
/// table on a terminal, plain text otherwise, <c>--json</c> (<c>--format json</c>) or
/// <c>--format sarif</c>; <c>--html FILE</c> also writes a self-contained page; <c>--ci</c> checks
/// gates from flags, <c>.strata-ci.yaml</c> or dive's <c>.dive-ci</c> and exits 1 on a breach,
/// one line each. <c>docker://HOST/REPO:TAG</c> (skopeo's spelling, which no store name, file or
/// directory can be mistaken for) streams the layers from the registry and writes nothing to the store.
/// </summary>
internal static class AnalyzeVerb
{
    private static readonly string[] DefaultConfigFiles = [".strata-ci.yaml", ".dive-ci"];
    private const string RegistryScheme = "docker://";
    private static readonly string[] LayerColumns = ["#", "Size", "+", "~", "-", "Wasted", "Instruction"];
    private static readonly string[] FindingColumns = ["Rule", "Layer", "Bytes", "Finding and fix"];

    public static Command Create(string name)
    {
        var target = new Argument<string>("IMAGE") { Description = "An image in the store, a docker/OCI archive file, an OCI layout directory, or docker://REGISTRY/REPO[:TAG|@DIGEST] (streamed, nothing stored)" };
        var json = new Option<bool>("--json") { Description = "Print the analysis as JSON (schema: src/Strata.Analysis/README.md); same as --format json" };
        var format = new Option<string?>("--format") { Description = "text (default), json or sarif (SARIF 2.1.0)" };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report (chart, findings, file trees) to FILE" };
        var ci = new Option<bool>("--ci") { Description = "Check the CI gates; exit 1 when one is breached" };
        var ciConfig = new Option<string?>("--ci-config") { Description = "Gates file (default: .strata-ci.yaml, else .dive-ci, when present)" };
        var lowest = new Option<string?>("--lowest-efficiency") { Description = "Fail below this efficiency (ratio, e.g. 0.9)" };
        var wasted = new Option<string?>("--highest-wasted-bytes") { Description = "Fail above this many wasted bytes (e.g. 20MB)" };
        var userWasted = new Option<string?>("--highest-user-wasted-percent") { Description = "Fail when user layers waste more than this share (ratio, e.g. 0.1)" };
        var allowSecrets = new Option<bool>("--allow-secrets") { Description = "Do not fail on secrets" };
        var floor = new Option<string?>("--min-wasted-bytes") { Description = "Ratio gates only fail when at least this many bytes are wasted" };
        var platform = new Option<string?>("--platform") { Description = "Platform to pick from a multi-platform image" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Explore the layers and each layer's file tree in the terminal (keys: q quits)" };
        var command = new Command(name, "Explain an image: wasted bytes and the steps that caused them, copy-ups, caches, secrets")
        {
            target, json, ci, ciConfig, lowest, wasted, userWasted, allowSecrets, floor, platform, format, html, interactive,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(interactive) && (parse.GetValue(json) || parse.GetValue(ci) || parse.GetValue(format) is not null || parse.GetValue(html) is not null)) throw new InvalidArgumentException("analyze: -i cannot be combined with --json, --format, --html or --ci");
            if (parse.GetValue(interactive)) return await InteractiveAsync(parse, parse.GetValue(target)!, parse.GetValue(platform), ct).ConfigureAwait(false);
            // Gates are read first: a bad flag or file fails before the image is read.
            var gates = parse.GetValue(ci) ? Thresholds(parse.GetValue(ciConfig), parse.GetValue(lowest), parse.GetValue(wasted), parse.GetValue(userWasted), parse.GetValue(allowSecrets), parse.GetValue(floor)) : null;
            var formatName = Format(parse.GetValue(format), parse.GetValue(json));
            var htmlFile = parse.GetValue(html) is { } h ? HtmlTarget(h) : null;
            var options = ImageAnalysisOptions.Default;
            if (parse.GetValue(platform) is { } p) options = options with { Platform = Platform.Parse(p) };
            if (htmlFile is not null) options = options with { KeepChanges = AnalysisHtmlReport.DefaultKeepChanges };
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var analysis = await AnalyzeAsync(store, parse.GetValue(target)!, options, ct).ConfigureAwait(false);

            if (htmlFile is not null) await WriteHtmlAsync(htmlFile, analysis, ct).ConfigureAwait(false);
            if (formatName == "json") Console.Out.WriteLine(JsonSerializer.Serialize(analysis, AnalysisJsonContext.Default.ImageAnalysis));
            else if (formatName == "sarif") Console.Out.WriteLine(SarifWriter.ToJson(AnalysisSarifReport.ToSarif(analysis, Version())));
            else if (!Console.IsOutputRedirected) WriteTables(analysis);
            else AnalysisTextReport.Write(Console.Out, analysis);

            if (gates is null) return ExitCodes.Ok;
            var breaches = CiGate.Check(analysis, gates);
            foreach (var breach in breaches) Console.Error.WriteLine("FAIL " + breach);
            if (breaches.Count == 0) Console.Error.WriteLine("PASS all CI gates");
            return breaches.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary><c>-i</c>: the analysis with each layer's changes kept, then the terminal view (Strata.Analysis.Interactive).</summary>
    private static async Task<int> InteractiveAsync(ParseResult parse, string target, string? platform, CancellationToken ct)
    {
        // Checked before anything is read: without a terminal the view could only hang or garble.
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
            throw new FailedPreconditionException("analyze -i needs a terminal: standard input and output must be a TTY");
        var log = new ChangeLog();
        var options = ImageAnalysisOptions.Default with { Changes = log };
        if (platform is not null) options = options with { Platform = Platform.Parse(platform) };
        var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
        bool progress = !Console.IsErrorRedirected;
        if (progress) await Console.Error.WriteAsync($"analyzing {target} ...").ConfigureAwait(false);
        ImageAnalysis analysis;
        try
        {
            analysis = await AnalyzeAsync(store, target, options, ct).ConfigureAwait(false);
        }
        finally
        {
            // The progress line goes away whatever happens: the screen is the shell's again.
            if (progress) await Console.Error.WriteAsync("\r\u001b[K").ConfigureAwait(false);
        }
        await TerminalExplorer.RunAsync(new ExplorerState(analysis, log), ct).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The analysis of a target as analyze names it (registry reference, OCI layout, archive, store image); lint --image uses it too.</summary>
    internal static async Task<ImageAnalysis> AnalyzeAsync(ImageStore store, string target, ImageAnalysisOptions options, CancellationToken ct)
    {
        var stored = await store.ListAsync(ct).ConfigureAwait(false);
        var known = stored.Select(i => i.Config.RootFs.DiffIds).ToList();
        if (target.StartsWith(RegistryScheme, StringComparison.Ordinal))
        {
            var reference = ImageReference.Parse(target[RegistryScheme.Length..]);
            using var client = RegistryOpener.Open();
            // Layers stream from the registry through the analysis; nothing is written to the store.
            await using var remote = new RegistrySource(client, reference);
            return await AnalyzeFirstAsync(remote, target, known, options, ct).ConfigureAwait(false);
        }
        if (Directory.Exists(target))
        {
            if (!File.Exists(Path.Combine(target, "index.json"))) throw new InvalidArgumentException($"{target}: not an OCI layout (no index.json)");
            await using var layout = new OciLayoutSource(target, target, store.Options.MaxDocumentBytes);
            return await AnalyzeFirstAsync(layout, target, known, options, ct).ConfigureAwait(false);
        }
        if (File.Exists(target))
        {
            await using var file = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using var archive = await ArchiveSource.OpenAsync(file, target, store.Layout.Temp, store.Options.MaxDocumentBytes, ct).ConfigureAwait(false);
            return await AnalyzeFirstAsync(archive, target, known, options, ct).ConfigureAwait(false);
        }
        var image = await store.GetAsync(target, ct).ConfigureAwait(false);
        await using var source = StoreSource.ForImages(store, [(image, null)]);
        return await ImageAnalyzer.AnalyzeAsync(source, image.ManifestDescriptor, target, WithBase(options, image.Config.RootFs.DiffIds, known), ct).ConfigureAwait(false);
    }

    private static async Task<ImageAnalysis> AnalyzeFirstAsync(IImageSource source, string name, List<IReadOnlyList<DiffId>> known, ImageAnalysisOptions options, CancellationToken ct)
    {
        var images = await source.ListAsync(ct).ConfigureAwait(false);
        if (images.Count == 0) throw new InvalidArgumentException($"{name}: holds no image");
        var root = images[0].Root;
        // The diff IDs are needed before the walk to find the base in the store.
        var manifest = await ImageCopier.ResolveAsync(source, root, options.Platform, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"{name}: no image for platform {options.Platform}");
        var m = ImageDocuments.ParseManifest(manifest, await source.ReadDocumentAsync(manifest, ct).ConfigureAwait(false), name);
        var config = Oci.OciJson.DeserializeConfig(await source.ReadDocumentAsync(m.Config, ct).ConfigureAwait(false), $"{name}: config");
        return await ImageAnalyzer.AnalyzeAsync(source, manifest, name, WithBase(options, config.RootFs.DiffIds, known), ct).ConfigureAwait(false);
    }

    private static ImageAnalysisOptions WithBase(ImageAnalysisOptions options, IReadOnlyList<DiffId> diffIds, List<IReadOnlyList<DiffId>> known) =>
        BaseImageGuess.LongestSharedPrefix(diffIds, known) is { } n ? options with { BaseLayers = n, BaseLayersFrom = "store" } : options;

    private static string Format(string? format, bool json)
    {
        if (format is null) return json ? "json" : "text";
        if (format is not ("text" or "json" or "sarif")) throw new InvalidArgumentException($"unknown format \"{format}\": use text, json or sarif");
        if (json && format != "json") throw new InvalidArgumentException($"--json and --format {format} disagree: give one");
        return format;
    }

    /// <summary>The report's full path, checked before the image is read: its directory must exist.</summary>
    private static string HtmlTarget(string file)
    {
        var full = Path.GetFullPath(file);
        if (Directory.Exists(full)) throw new InvalidArgumentException($"--html {file}: is a directory");
        if (!Directory.Exists(Path.GetDirectoryName(full))) throw new NotFoundException($"--html {file}: directory {Path.GetDirectoryName(full)} not found");
        return full;
    }

    /// <summary>Written beside the target and renamed over it, so a failed write leaves no half page.</summary>
    private static async Task WriteHtmlAsync(string file, ImageAnalysis analysis, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(file)!, $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllTextAsync(temp, AnalysisHtmlReport.Render(analysis), ct).ConfigureAwait(false);
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string Version() =>
        typeof(AnalyzeVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    private static CiThresholds Thresholds(string? configPath, string? lowest, string? wasted, string? userWasted, bool allowSecrets, string? floor)
    {
        var file = configPath ?? DefaultConfigFiles.FirstOrDefault(File.Exists);
        var fromFile = new CiThresholds();
        if (file is not null)
        {
            if (!File.Exists(file)) throw new NotFoundException($"{file}: CI config not found");
            fromFile = CiConfigFile.Parse(File.ReadAllText(file), file);
        }
        var fromFlags = new CiThresholds
        {
            LowestEfficiency = lowest is null ? null : CiConfigFile.Ratio(lowest, "--lowest-efficiency"),
            HighestWastedBytes = wasted is null ? null : CiConfigFile.Bytes(wasted, "--highest-wasted-bytes"),
            HighestUserWastedPercent = userWasted is null ? null : CiConfigFile.Ratio(userWasted, "--highest-user-wasted-percent"),
            AllowSecrets = allowSecrets,
            MinWastedBytes = floor is null ? 0 : CiConfigFile.Bytes(floor, "--min-wasted-bytes"),
        };
        return fromFile.Over(fromFlags);
    }

    private static void WriteTables(ImageAnalysis a)
    {
        var console = AnsiConsole.Console;
        console.Write(new Rule(Markup.Escape($"{a.Image} ({a.Id[..Math.Min(a.Id.Length, 19)]})")).LeftJustified());
        console.MarkupLine(Markup.Escape($"{a.Layers.Count} layers ({a.BaseLayers} base, from {a.BaseLayersFrom}); {HumanBytes.Format(a.TotalBytes)} in layers, {HumanBytes.Format(a.ShippedBytes)} shipped"));
        console.MarkupLine($"wasted [bold]{Markup.Escape(HumanBytes.Format(a.WastedBytes))}[/] (base {Markup.Escape(HumanBytes.Format(a.BaseWastedBytes))}, user {Markup.Escape(HumanBytes.Format(a.UserWastedBytes))}), efficiency [bold]{a.Efficiency * 100:0.##} %[/]");
        var layers = new Table().Border(TableBorder.Rounded);
        foreach (var h in LayerColumns) layers.AddColumn(h);
        foreach (var l in a.Layers)
        {
            layers.AddRow(
                Markup.Escape(l.Index + (l.IsBase ? " base" : "")), Markup.Escape(HumanBytes.Format(l.Size)), l.Added.ToString(System.Globalization.CultureInfo.InvariantCulture),
                l.Modified.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Removed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                l.WastedBytes > 0 ? $"[yellow]{Markup.Escape(HumanBytes.Format(l.WastedBytes))}[/]" : "0 B",
                Markup.Escape(AnalysisTextReport.Describe(l.Instruction, l.Source)));
        }
        console.Write(layers);
        if (a.Findings.Count == 0)
        {
            console.MarkupLine("[green]No findings.[/]");
            return;
        }
        var findings = new Table().Border(TableBorder.Rounded);
        foreach (var h in FindingColumns) findings.AddColumn(h);
        foreach (var f in a.Findings)
        {
            var color = f.Severity == "error" ? "red" : "yellow";
            var detail = Markup.Escape(f.Message)
                + (f.Paths.Count > 0 ? "\n" + Markup.Escape(string.Join("\n", f.Paths.Take(3).Select(p => $"{HumanBytes.Format(p.Bytes)}  {p.Path}")) + (f.PathCount > 3 ? $"\n... and {f.PathCount - 3} more" : "")) : "")
                + (f.Match is null ? "" : "\nvalue: " + Markup.Escape(f.Match))
                + "\n[dim]fix: " + Markup.Escape(f.Fix) + "[/]";
            var layer = f.Layer >= 0 ? f.Layer + (f.ByLayer is { } by ? $" -> {by}" : "") : "config";
            findings.AddRow($"[{color}]{Markup.Escape(f.Rule)}[/]", Markup.Escape(layer), Markup.Escape(HumanBytes.Format(f.Bytes)), detail);
        }
        console.Write(findings);
    }
}
