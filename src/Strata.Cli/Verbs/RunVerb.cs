using System.CommandLine;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata run [--rm] [-d] [-i] [-t] [--name N] [-e K=V] [-w DIR] [-u USER] [--entrypoint E] [-v HOST:CTR[:ro]] [--network default|none|host] [--add-host H:IP] [-p [IP:]HOST:CTR[/PROTO]] [--hostname H] IMAGE [CMD...]</c>:
/// makes a container (a writable overlay over the image) and runs it: in the foreground, where
/// its exit code is strata's, or detached (<c>-d</c>) under a monitor that outlives strata.
/// </summary>
internal static class RunVerb
{
    private static readonly string[] CommandVerbs = ["run", "create", "exec"];

    public static Command Create(string name)
    {
        var flags = new RunFlags();
        var rm = new Option<bool>("--rm") { Description = "Automatically remove the container when it exits" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Run container in background and print container ID" };
        var command = new Command(name, "Create and run a new container from an image") { rm, detach };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = flags.Read(parse, parse.GetValue(rm), parse.GetValue(detach));
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var container = await manager.CreateAsync(parse.GetValue(flags.Image)!, options, ct).ConfigureAwait(false);
            if (parse.GetValue(detach))
            {
                var started = await DetachedStart.StartAsync(parse, manager, container, ct).ConfigureAwait(false);
                if (started.Error is { } error)
                {
                    if (options.Remove) await manager.RemoveAsync(started, force: true, CancellationToken.None).ConfigureAwait(false);
                    return await DetachedStart.ReportStartFailureAsync(error).ConfigureAwait(false);
                }
                Console.Out.WriteLine(container.Id);
                return 0;
            }
            try
            {
                await using var stdoutLog = new FileStream(manager.LogPath(container, "stdout"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                await using var stderrLog = new FileStream(manager.LogPath(container, "stderr"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                await using var stdout = new TeeStream(Console.OpenStandardOutput(), stdoutLog);
                await using var stderr = new TeeStream(Console.OpenStandardError(), stderrLog);
                Stream? stdin = options.Interactive ? Console.OpenStandardInput() : null;
                await using (stdin)
                {
                    using var proxy = SignalProxy.Install(signal => manager.ProxySignalAsync(container, signal));
                    return await manager.RunAsync(container, stdin, stdout, stderr, ct).ConfigureAwait(false);
                }
            }
            catch (Execution.ContainerStartException e)
            {
                return await DetachedStart.ReportStartFailureAsync(e.Message).ConfigureAwait(false);
            }
            finally
            {
                if (options.Remove)
                    await manager.RemoveAsync(await manager.GetAsync(container.Id, CancellationToken.None).ConfigureAwait(false), force: true, CancellationToken.None).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>
    /// Everything after IMAGE (or exec's CONTAINER) belongs to the container (<c>sh -c 'exit 3'</c>,
    /// <c>ls -w</c>): a <c>--</c> is put after it so the parser does not read the command's flags as strata's.
    /// </summary>
    public static string[] SeparateCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int verb = Array.FindIndex(args, a => CommandVerbs.Contains(a));
        if (verb < 0 || (verb > 0 && args[..verb].Any(a => !a.StartsWith('-') && a != "container" && !IsValueOf(args, Array.IndexOf(args, a))))) return args;
        for (int i = verb + 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") return args;
            if (a.StartsWith('-'))
            {
                if (RunFlags.ValueOptions.Contains(a)) i++;
                continue;
            }
            return i + 1 < args.Length ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }
        return args;
    }

    private static bool IsValueOf(string[] args, int index) => index > 0 && args[index - 1] == "--root";
}
