using System.CommandLine;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary><c>strata exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] CONTAINER CMD...</c>: runs a command in a running container; its exit code is strata's.</summary>
internal static class ExecVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var command = new Command(name, "Execute a command in a running container") { container, cmd, env, workdir, user, interactive, tty };
        command.SetAction(async (parse, ct) =>
        {
            TtyCheck.RequireTerminalForInput(parse.GetValue(interactive), parse.GetValue(tty));
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var c = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            // Rootless: the container's namespaces belong to the strata that started it; run again there.
            if (c.Status == ContainerStatus.Running && c.Monitor is { IsAlive: true } monitor && RootlessEntry.RequestJoin(monitor.Pid, parse.GetValue(GlobalOptions.Debug))) return 0;
            var options = new ContainerRunOptions
            {
                Env = [.. (parse.GetValue(env) ?? []).Select(RunFlags.EnvEntry).OfType<string>()],
                WorkingDir = parse.GetValue(workdir),
                User = parse.GetValue(user),
                Interactive = parse.GetValue(interactive),
                Tty = parse.GetValue(tty),
            };
            try
            {
                return await manager.ExecAsync(c, parse.GetValue(cmd)!, options, ct).ConfigureAwait(false);
            }
            catch (Execution.ContainerStartException e)
            {
                return await DetachedStart.ReportStartFailureAsync(e.Message).ConfigureAwait(false);
            }
        });
        return command;
    }
}
