using System.CommandLine;
using Strata.Containers;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata logs [-f] CONTAINER</c>: what a detached container wrote, standard output to
/// stdout and standard error to stderr; <c>-f</c> follows until the container exits.
/// </summary>
internal static class LogsVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var command = new Command(name, "Fetch the logs of a container") { container, follow };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var c = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            await using var stdout = Console.OpenStandardOutput();
            await using var stderr = Console.OpenStandardError();
            var outLog = Open(manager.LogPath(c, "stdout"));
            var errLog = Open(manager.LogPath(c, "stderr"));
            try
            {
                while (true)
                {
                    bool exited = !parse.GetValue(follow) || (await manager.GetAsync(c.Id, ct).ConfigureAwait(false)).Status is ContainerStatus.Exited or ContainerStatus.Created;
                    if (outLog is not null) await outLog.CopyToAsync(stdout, ct).ConfigureAwait(false);
                    if (errLog is not null) await errLog.CopyToAsync(stderr, ct).ConfigureAwait(false);
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                    if (exited) return 0;
                    await Task.Delay(200, ct).ConfigureAwait(false);
                    outLog ??= Open(manager.LogPath(c, "stdout"));
                    errLog ??= Open(manager.LogPath(c, "stderr"));
                }
            }
            finally
            {
                if (outLog is not null) await outLog.DisposeAsync().ConfigureAwait(false);
                if (errLog is not null) await errLog.DisposeAsync().ConfigureAwait(false);
            }
        });
        return command;
    }

    private static FileStream? Open(string path) =>
        File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete) : null;
}
