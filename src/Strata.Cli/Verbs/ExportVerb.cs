using System.CommandLine;

namespace Strata.Cli.Verbs;

/// <summary><c>strata export [-o FILE] CONTAINER</c>: the container's flattened root filesystem as a tar (stdout by default).</summary>
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
            if (parse.GetValue(output) is { } file)
            {
                // Written beside the target and renamed: a failed export leaves nothing half-written.
                var temp = file + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                try
                {
                    await using (var stream = File.Create(temp))
                        await manager.ExportAsync(c, stream, ct).ConfigureAwait(false);
                    File.Move(temp, file, overwrite: true);
                }
                finally
                {
                    File.Delete(temp);
                }
                return 0;
            }
            if (!Console.IsOutputRedirected)
                throw new Core.InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            await using var stdout = Console.OpenStandardOutput();
            await manager.ExportAsync(c, stdout, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
