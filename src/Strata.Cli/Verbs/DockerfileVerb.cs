using System.CommandLine;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Reports;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata dockerfile parse [--json] [--target T] [--build-arg K=V]... [--platform P] [FILE|-]</c>:
/// prints what Strata understood of a Dockerfile (typed, expanded stages); warnings go to stderr.
/// </summary>
internal static class DockerfileVerb
{
    public static Command Create()
    {
        var command = new Command("dockerfile", "Inspect Dockerfiles");
        command.Subcommands.Add(CreateParse());
        return command;
    }

    private static Command CreateParse()
    {
        var file = new Argument<string>("FILE") { Description = "Dockerfile to read, or - for stdin", DefaultValueFactory = _ => "Dockerfile" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a listing" };
        var target = new Option<string?>("--target") { Description = "Stage to build; stages it does not need are not expanded" };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "Build argument KEY=VALUE (KEY alone takes the value from the environment)", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string?>("--platform") { Description = "Target platform os/arch[/variant] (default: this machine)" };
        var parse = new Command("parse", "Parse a Dockerfile and print its typed stages") { file, json, target, buildArgs, platform };
        parse.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file) ?? "Dockerfile";
            string text;
            string name;
            if (path == "-")
            {
                text = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
                name = "Dockerfile";
            }
            else
            {
                if (!File.Exists(path)) throw new NotFoundException($"Dockerfile not found: {path}");
                text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
                name = Path.GetFileName(path);
            }
            var options = new BuildOptions
            {
                BuildArgs = ParseBuildArgs(result.GetValue(buildArgs) ?? []),
                Target = result.GetValue(target),
                TargetPlatform = result.GetValue(platform) is { } p ? Platform.Parse(p) : null,
            };
            var report = DockerfileFrontend.Report(text, options, name);
            foreach (var w in report.Warnings)
                await Console.Error.WriteLineAsync(w.Line > 0 ? $"warning: {name}:{w.Line}: {w.Message} ({w.Rule})" : $"warning: {w.Message} ({w.Rule})").ConfigureAwait(false);
            await Console.Out.WriteAsync(result.GetValue(json) ? DockerfileReportWriter.ToJson(report) + Environment.NewLine : DockerfileReportWriter.ToText(report)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return parse;
    }

    /// <summary>KEY=VALUE pairs; a bare KEY takes its value from the environment, as docker does (and is skipped when unset).</summary>
    internal static Dictionary<string, string> ParseBuildArgs(IEnumerable<string> values)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0) throw new InvalidArgumentException($"invalid --build-arg \"{v}\": the name is empty");
            if (eq > 0) args[v[..eq]] = v[(eq + 1)..];
            else if (Environment.GetEnvironmentVariable(v) is { } env) args[v] = env;
        }
        return args;
    }
}
