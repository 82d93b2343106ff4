using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// docker's rule for attaching a pseudo-terminal: <c>-t</c> alone works anywhere (the pty's
/// output is copied to stdout, a pipe in CI), but <c>-it</c> puts strata's stdin into raw mode
/// and feeds it to the pty, so that stdin must be a terminal.
/// </summary>
internal static class TtyCheck
{
    public static void RequireTerminalForInput(bool interactive, bool tty)
    {
        if (interactive && tty && Console.IsInputRedirected)
            throw new FailedPreconditionException("the input device is not a TTY");
    }
}
