using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata export [-o FILE] CONTAINER</c>: the container's flattened root filesystem as a tar
/// (stdout by default). On a terminal the bytes written are a bar (on stderr when the tar goes to stdout).
/// </summary>
internal static class ExportVerb
{
    public static Command Create(string name)
    {
        var container = new Argument<string>("CONTAINER");
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var command = new Command(name, "Export a container's filesystem as a tar archive") { container, output };
        command.SetAction(async (parse, ct) =>
        {
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var c = await manager.GetAsync(parse.GetValue(container)!, ct).ConfigureAwait(false);
            var file = parse.GetValue(output);
            if (file is null && !Console.IsOutputRedirected)
                throw new Core.InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            // On a terminal, the bytes written as a bar: on stdout with -o, else on stderr (stdout is the tar).
            var bars = file is not null ? (TransferBars.Wanted() ? TransferBars.ForBytes(onError: false) : null)
                : TransferBars.WantedOnError() ? TransferBars.ForBytes(onError: true) : null;
            var progress = bars?.Watch(item => $"{item}: Exporting");
            try
            {
                if (file is not null)
                {
                    // Written beside the target and renamed: a failed export leaves nothing half-written.
                    var temp = file + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                    try
                    {
                        await using (var stream = File.Create(temp))
                            await manager.ExportAsync(c, stream, progress, ct).ConfigureAwait(false);
                        File.Move(temp, file, overwrite: true);
                    }
                    finally
                    {
                        File.Delete(temp);
                    }
                    return 0;
                }
                await using var stdout = Console.OpenStandardOutput();
                await manager.ExportAsync(c, stdout, progress, ct).ConfigureAwait(false);
                return 0;
            }
            finally
            {
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
        });
        return command;
    }
}
