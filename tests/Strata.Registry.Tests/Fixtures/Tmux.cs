using Xunit.Sdk;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A real terminal for the live views: a tmux server of its own (<c>-L</c>) runs one command in a
/// detached window, the test waits on the command's end (<c>tmux wait-for</c>, no sleeps) and
/// reads the screen and scrollback with <c>capture-pane</c>, then the server is killed.
/// </summary>
public static class Tmux
{
    public const string Binary = "/usr/bin/tmux";

    /// <summary>The screen text (trailing blank lines dropped) after <paramref name="command"/> ran, and its exit code.</summary>
    public static async Task<(string Screen, int ExitCode)> RunAsync(IReadOnlyList<string> command)
    {
        if (!File.Exists(Binary)) throw new XunitException($"{Binary} is missing: run scripts/install-deps.sh (package tmux)");
        var socket = "strata-test-" + Guid.NewGuid().ToString("N")[..8];
        var script = string.Join(' ', command.Select(Quote)) + $"; echo \"exit=$?\"; {Binary} -L {socket} wait-for -S done; exec cat";
        try
        {
            await Tool.OkAsync(Binary, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", "-s", "main", script);
            await Tool.OkAsync(Binary, "-L", socket, "wait-for", "done");
            var screen = await Tool.OkAsync(Binary, "-L", socket, "capture-pane", "-p", "-J", "-t", "main", "-S", "-", "-E", "-");
            var lines = screen.TrimEnd('\n', ' ').Split('\n').Select(l => l.TrimEnd()).ToList();
            var last = lines.FindLastIndex(l => l.StartsWith("exit=", StringComparison.Ordinal));
            if (last < 0) throw new XunitException("the command's exit line is not on the screen:\n" + screen);
            return (string.Join('\n', lines[..last]) + "\n", int.Parse(lines[last]["exit=".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await Tool.RunAsync(Binary, ["-L", socket, "kill-server"]);
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
