using System.CommandLine;
using System.Reflection;
using Strata.Analysis.Image;
using Strata.Analysis.Lint;
using Strata.Analysis.Sarif;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata lint [-f Dockerfile] [--format text|json|sarif] [--failure-threshold L] [--strict] [--image IMAGE] [PATH]</c>:
/// the front end's BuildKit checks and Strata's layer rules, without building; with <c>--image</c>,
/// findings also get the bytes an image built from the Dockerfile measured. PATH is a
/// Dockerfile, or a context directory (its Dockerfile unless -f, and its .dockerignore and heavy
/// folders are checked too); none reads ./Dockerfile and no context. Exit 0 when nothing reaches
/// the threshold (default: error), 1 when something does.
/// </summary>
internal static class LintVerb
{
    public static Command Create()
    {
        var path = new Argument<string?>("PATH") { Description = "A Dockerfile, or a build context directory (then its .dockerignore is checked too); - for stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "The Dockerfile (default: PATH/Dockerfile, or ./Dockerfile)" };
        var format = new Option<string>("--format") { Description = "text (file:line:col CODE message), json or sarif (SARIF 2.1.0)", DefaultValueFactory = _ => "text" };
        var threshold = new Option<string>("--failure-threshold", "-t") { Description = "Exit 1 when a finding is at least this severe: error (default), warning, info or none, as hadolint's", DefaultValueFactory = _ => "error" };
        var strict = new Option<bool>("--strict") { Description = "Fail on warnings too (same as --failure-threshold warning)" };
        var image = new Option<string?>("--image") { Description = "An image strata built from this Dockerfile (as analyze takes it): findings get the bytes it measured (what a cleanup RUN saved, where a secret stays)" };
        var command = new Command("lint", "Check a Dockerfile for layer, cache and secret mistakes (errors: secrets and parse errors; the rest are warnings and notes; codes in src/Strata.Analysis/Lint/README.md)") { path, file, format, threshold, strict, image };
        command.SetAction(async (parse, ct) =>
        {
            var (dockerfile, contextDir) = Resolve(parse.GetValue(path), parse.GetValue(file));
            var limit = parse.GetValue(strict) ? LintSeverity.Warning : Threshold(parse.GetValue(threshold)!);
            var formatName = parse.GetValue(format)!;
            if (formatName is not ("text" or "json" or "sarif")) throw new InvalidArgumentException($"unknown format \"{formatName}\": use text, json or sarif");
            var report = await LintAsync(dockerfile, contextDir, ct).ConfigureAwait(false);
            if (parse.GetValue(image) is { } measured) report = await MeasureAsync(parse, report, measured, ct).ConfigureAwait(false);
            await Console.Out.WriteAsync(formatName switch
            {
                "json" => LintOutput.ToJson(report) + "\n",
                "sarif" => SarifWriter.ToJson(LintOutput.ToSarif(report, Version())) + "\n",
                _ => LintOutput.ToText(report),
            }).ConfigureAwait(false);
            return report.Fails(limit) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>strata build --check</c>: the findings as text on stdout, buildx's "Check complete" line on
    /// stderr; fails (exit 1) on a warning or an error, as buildx fails on any check warning.
    /// </summary>
    internal static async Task<int> BuildCheckAsync(string text, string? dockerfilePath, string contextDir)
    {
        var report = Lint(text, dockerfilePath, contextDir);
        await Console.Out.WriteAsync(LintOutput.ToText(report)).ConfigureAwait(false);
        int failing = report.Count(LintSeverity.Error) + report.Count(LintSeverity.Warning);
        await Console.Error.WriteLineAsync(report.Findings.Count == 0
            ? "Check complete, no warnings found."
            : $"Check complete, {report.Count(LintSeverity.Error)} error(s), {report.Count(LintSeverity.Warning)} warning(s), {report.Count(LintSeverity.Info)} note(s) found.").ConfigureAwait(false);
        return failing > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>
    /// <c>--image</c>: one analysis walk of the image (any target analyze takes) with an observer for
    /// the paths the findings name, then each finding joined to its layer by the recorded Dockerfile line.
    /// </summary>
    private static async Task<LintReport> MeasureAsync(ParseResult parse, LintReport report, string image, CancellationToken ct)
    {
        var changes = ImageMeasurement.Observer(report);
        var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
        var analysis = await AnalyzeVerb.AnalyzeAsync(store, image, ImageAnalysisOptions.Default with { Changes = changes }, ct).ConfigureAwait(false);
        if (ImageMeasurement.HasLines(analysis)) return ImageMeasurement.Apply(report, analysis, changes, image);
        await Console.Error.WriteLineAsync($"lint: {image} has no Dockerfile lines recorded (strata build records them): nothing measured").ConfigureAwait(false);
        return report;
    }

    /// <summary>Reads the Dockerfile (null: stdin) and the context when there is one, and lints.</summary>
    internal static async Task<LintReport> LintAsync(string? dockerfile, string? contextDir, CancellationToken ct)
    {
        string text;
        if (dockerfile is null) text = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
        else if (!File.Exists(dockerfile)) throw new NotFoundException($"Dockerfile not found: {dockerfile}");
        else text = await File.ReadAllTextAsync(dockerfile, ct).ConfigureAwait(false);
        return Lint(text, dockerfile, contextDir);
    }

    internal static LintReport Lint(string text, string? dockerfile, string? contextDir)
    {
        var context = contextDir is null ? null : LintContext.Read(contextDir, dockerfile);
        return DockerfileLinter.Lint(text, dockerfile is null ? "Dockerfile" : DisplayName(dockerfile), context);
    }

    /// <summary>A path as the user would recognise it: relative to the working directory when inside it.</summary>
    private static string DisplayName(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static (string? Dockerfile, string? Context) Resolve(string? path, string? file)
    {
        string? Full(string? p) => p is null or "-" ? null : Path.GetFullPath(p);
        if (path is null) return (Full(file ?? "Dockerfile"), null);
        if (path == "-") return (null, null);
        if (Directory.Exists(path)) return (file == "-" ? null : Full(file ?? Path.Combine(path, "Dockerfile")), Path.GetFullPath(path));
        if (file is not null) throw new InvalidArgumentException($"give the Dockerfile once: -f {file} and {path}; PATH with -f must be a context directory");
        return (Full(path), null);
    }

    internal static LintSeverity? Threshold(string value) => value.ToLowerInvariant() switch
    {
        "error" => LintSeverity.Error,
        "warning" => LintSeverity.Warning,
        "info" or "style" => LintSeverity.Info,
        "none" => null,
        _ => throw new InvalidArgumentException($"unknown failure threshold \"{value}\": use error, warning, info or none"),
    };

    private static string Version() =>
        typeof(LintVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
}
