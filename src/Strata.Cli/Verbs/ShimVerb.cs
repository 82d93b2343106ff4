using System.CommandLine;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata container-shim ID</c> (hidden): the monitor of a detached container, started by
/// <see cref="DetachedStart"/>. Runs the container with its stdout and stderr (the log files),
/// records its exit code and unmounts its root filesystem when it ends. With <c>-t</c> it owns
/// the container's pty master (see <c>RuncExecutor.Console.cs</c>) and copies it to stdout.log.
/// </summary>
internal static class ShimVerb
{
    public static Command Create()
    {
        var id = new Argument<string>("ID");
        var command = new Command("container-shim", "Monitor of a detached container (internal)") { id };
        command.Hidden = true;
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var container = await manager.GetAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            if (container.Status != ContainerStatus.Starting) return 1;
            await using var stdout = Console.OpenStandardOutput();
            await using var stderr = Console.OpenStandardError();
            try
            {
                return await manager.RunAsync(container, null, stdout, stderr, ct).ConfigureAwait(false);
            }
            catch (Execution.ContainerStartException e)
            {
                return await DetachedStart.ReportStartFailureAsync(e.Message).ConfigureAwait(false);
            }
            finally
            {
                // run -d --rm: the container goes once it has exited (a failed start is kept for the caller to report).
                if (container.Options?.Remove == true
                    && await TryGetAsync(manager, container.Id).ConfigureAwait(false) is { Status: ContainerStatus.Exited, Error: null } done)
                    await manager.RemoveAsync(done, force: false, CancellationToken.None).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<ContainerState?> TryGetAsync(ContainerManager manager, string id)
    {
        try
        {
            return await manager.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Core.NotFoundException)
        {
            return null;
        }
    }
}
