using System.CommandLine;
using Strata.Core;

namespace Strata.Cli;

/// <summary>
/// Builds the command tree (one file per verb under Commands/) and turns every failure into one
/// line on stderr and an exit code: 1 for a Strata error, 125 for an unexpected one (as docker
/// does for its own failures). <c>--debug</c> adds the stack trace.
/// </summary>
internal static class StrataApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            RootlessEntry.CompleteEntry();
        }
        catch (Exception ex) when (ex is StrataException or IOException)
        {
            await Console.Error.WriteLineAsync("Error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var root = new RootCommand("Strata: daemonless OCI image builder and image-layer toolkit.");
        root.Options.Add(GlobalOptions.Root);
        root.Options.Add(GlobalOptions.Debug);
        foreach (var command in Commands.All()) root.Subcommands.Add(command);

        var parse = root.Parse(Verbs.RunVerb.SeparateCommand(args));
        if (UnknownVerb.Message(root, parse) is { } unknown)
        {
            await Console.Error.WriteLineAsync(unknown).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        bool debug = parse.GetValue(GlobalOptions.Debug);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            // An attached run passes Ctrl-C to its container instead (SignalProxy).
            if (!SignalProxy.IsActive) cts.Cancel();
        };
        try
        {
            if (await RootlessEntry.RunInsideAsync(args, parse, cts.Token).ConfigureAwait(false) is int inside) return inside;
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (NoSpaceException.Find(ex, GlobalOptions.ResolveRoot(parse)) is { } full)
        {
            // A full disk, however deep it is wrapped (SQLite, a compression stream, a layer
            // entry): the cause in one line and exit 1, never "internal error" (125) nor usage (2).
            await Console.Error.WriteLineAsync("Error: " + (debug ? ex.ToString() : full.Message)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (StrataException ex)
        {
            await Console.Error.WriteLineAsync("Error: " + (debug ? ex.ToString() : ex.Message)).ConfigureAwait(false);
            return ExitCodes.For(ex.Category);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Error: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("Error: " + (debug ? ex.ToString() : ex.Message)).ConfigureAwait(false);
            return 1;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: one line, never a trace unless --debug.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync("Error: internal error: " + (debug ? ex.ToString() : ex.Message + " (run with --debug for details)")).ConfigureAwait(false);
            return 125;
        }
        finally
        {
            LeftoverReaper.ReleaseOwnDirectory(GlobalOptions.ResolveRoot(parse));
        }
    }
}
