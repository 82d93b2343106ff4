using System.CommandLine;
using Strata.Build.Containers;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata run [--rm] [--name N] [-e K=V]... [-w DIR] [-u USER] [--entrypoint E] [--network none|host] IMAGE [CMD...]</c>:
/// makes a container (a writable overlay over the image) and runs it in the foreground; its
/// exit code is strata's.
/// </summary>
internal static class RunVerb
{
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--name", "-e", "--env", "-w", "--workdir", "-u", "--user", "--entrypoint", "--network", "--root",
    };

    public static Command Create(string name)
    {
        var image = new Argument<string>("IMAGE");
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore, Description = "Command and arguments (replace the image's CMD)" };
        var rm = new Option<bool>("--rm") { Description = "Automatically remove the container when it exits" };
        var containerName = new Option<string?>("--name") { Description = "Assign a name to the container" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables (KEY=VALUE, or KEY to take it from the environment)" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var entrypoint = new Option<string?>("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };
        var network = new Option<string>("--network") { Description = "none (default) or host", DefaultValueFactory = _ => "none" };
        var command = new Command(name, "Create and run a new container from an image") { image, cmd, rm, containerName, env, workdir, user, entrypoint, network };
        command.SetAction(async (parse, ct) =>
        {
            var networkMode = parse.GetValue(network);
            if (networkMode is not ("none" or "host")) throw new InvalidArgumentException($"network mode \"{networkMode}\" not supported: use none or host");
            var options = new ContainerRunOptions
            {
                Name = parse.GetValue(containerName),
                Command = parse.GetValue(cmd) ?? [],
                Entrypoint = parse.GetValue(entrypoint),
                Env = [.. (parse.GetValue(env) ?? []).Select(EnvEntry).OfType<string>()],
                WorkingDir = parse.GetValue(workdir),
                User = parse.GetValue(user),
                HostNetwork = networkMode == "host",
                Remove = parse.GetValue(rm),
            };
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var container = await manager.CreateAsync(parse.GetValue(image)!, options, ct).ConfigureAwait(false);
            try
            {
                await using var stdout = Console.OpenStandardOutput();
                await using var stderr = Console.OpenStandardError();
                Stream? stdin = Console.IsInputRedirected ? Console.OpenStandardInput() : null;
                await using (stdin)
                    return await manager.RunAsync(container, options, stdin, stdout, stderr, ct).ConfigureAwait(false);
            }
            catch (Execution.ContainerStartException e)
            {
                // docker's codes: 127 when the command is not found, 126 when it cannot be run.
                await Console.Error.WriteLineAsync("Error: " + e.Message).ConfigureAwait(false);
                return e.Message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 127;
            }
            finally
            {
                if (options.Remove)
                    await manager.RemoveAsync(await manager.GetAsync(container.Id, CancellationToken.None).ConfigureAwait(false), force: true, CancellationToken.None).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static string? EnvEntry(string item) =>
        item.Contains('=', StringComparison.Ordinal) ? item
        : Environment.GetEnvironmentVariable(item) is { } v ? $"{item}={v}" : null;

    /// <summary>
    /// Everything after IMAGE belongs to the container (<c>sh -c 'exit 3'</c>, <c>ls -w</c>):
    /// a <c>--</c> is put after IMAGE so the parser does not read the command's flags as run's.
    /// </summary>
    public static string[] SeparateCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int verb = Array.FindIndex(args, a => a == "run");
        if (verb < 0 || (verb > 0 && args[..verb].Any(a => !a.StartsWith('-') && a != "container" && !IsValueOf(args, Array.IndexOf(args, a))))) return args;
        for (int i = verb + 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") return args;
            if (a.StartsWith('-'))
            {
                if (ValueOptions.Contains(a)) i++;
                continue;
            }
            return i + 1 < args.Length ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }
        return args;
    }

    private static bool IsValueOf(string[] args, int index) => index > 0 && args[index - 1] == "--root";
}
