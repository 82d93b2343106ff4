using System.CommandLine;
using System.Globalization;
using Strata.Build.Logs;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata builder logs [BUILD_ID]</c>: the steps of the last (or the given) build and every line
/// each step printed, read from <c>&lt;store&gt;/builds/</c>; <c>--list</c> lists builds, newest first.
/// The old spelling <c>strata build logs</c> collides with <c>strata build CONTEXT</c> for a context
/// named <c>logs</c>, so it stays only where it cannot be mistaken: when no file or directory
/// named <c>logs</c> is in the working directory (then it says on stderr that it moved); where one
/// is, it refuses and names both meanings instead of silently printing a log.
/// </summary>
internal static class BuildLogsVerb
{
    /// <param name="oldSpelling">The <c>logs</c> subcommand of <c>build</c> rather than of <c>builder</c>.</param>
    public static Command Create(bool oldSpelling = false)
    {
        var id = new Argument<string?>("BUILD_ID") { Description = "Build to show (default: the last one); a unique prefix is enough", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List recorded builds, newest first" };
        var command = new Command("logs", "Show the full logs of a recorded build") { id, list };
        command.SetAction(async (parse, ct) =>
        {
            if (oldSpelling)
            {
                if (Path.Exists("logs"))
                    throw new InvalidArgumentException("\"logs\" is a path here, and \"strata build logs\" no longer shows build logs: run \"strata build ./logs\" to build it, \"strata builder logs\" for the logs");
                await Console.Error.WriteLineAsync("\"strata build logs\" is now \"strata builder logs\"").ConfigureAwait(false);
            }
            var store = new BuildLogStore(GlobalOptions.ResolveRoot(parse));
            var output = Console.Out;
            if (parse.GetValue(list))
            {
                await output.WriteLineAsync("BUILD ID                          STATE    STEPS  STARTED").ConfigureAwait(false);
                await foreach (var r in store.ListRecordsAsync(ct).ConfigureAwait(false))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Id,-33} {r.State,-8} {r.Steps.Count,5}  {r.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z")).ConfigureAwait(false);
                }
                return 0;
            }
            var buildId = store.Resolve(parse.GetValue(id));
            var record = await store.ReadAsync(buildId, ct).ConfigureAwait(false) ?? throw new NotFoundException($"build {buildId} has no build.json");
            await output.WriteLineAsync($"build {record.Id} {record.State}").ConfigureAwait(false);
            foreach (var step in record.Steps)
            {
                var status = step.State switch
                {
                    "cached" => "CACHED",
                    "done" => string.Create(CultureInfo.InvariantCulture, $"DONE {step.DurationSeconds:0.0}s"),
                    "error" => $"ERROR: {step.Error}",
                    _ => step.State.ToUpperInvariant(),
                };
                await output.WriteLineAsync($"#{step.Id} {step.Name}").ConfigureAwait(false);
                if (step.MissReason is not null) await output.WriteLineAsync($"#{step.Id} CACHE MISS: {step.MissReason}").ConfigureAwait(false);
                var log = store.StepLog(buildId, step.Id);
                if (File.Exists(log))
                {
                    // Streamed line by line: a step's log may be far bigger than memory should hold.
                    using var reader = new StreamReader(log);
                    while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                        await output.WriteLineAsync($"#{step.Id} {line}").ConfigureAwait(false);
                }
                await output.WriteLineAsync($"#{step.Id} {status}").ConfigureAwait(false);
            }
            foreach (var warning in record.Warnings ?? []) await output.WriteLineAsync($"WARN: {warning}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
