using System.Globalization;
using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>
/// A real terminal: a tmux server of its own (private socket <c>-L</c>, no user config). Either
/// one command run to its end (<see cref="RunToEndAsync"/>: the screen and exit code after it
/// ended), or a session a test types into (<see cref="StartAsync"/>): the pane stays after the
/// command exits so its last screen can be read; screens are awaited by polling
/// <c>capture-pane</c> until they match, with a generous deadline that fails the test and shows
/// the last screen.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    public const string Binary = "/usr/bin/tmux";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _socket = "strata-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The server's socket name (<c>tmux -L</c>), for commands this class does not wrap.</summary>
    public string Socket => _socket;
    private readonly string _config;

    private TmuxSession(string config) => _config = config;

    public static async Task<TmuxSession> StartAsync(string dir, string command, int width, int height)
    {
        RequireTmux();
        var config = Path.Combine(dir, "tmux.conf");
        await File.WriteAllTextAsync(config, "set -g remain-on-exit on\n");
        var session = new TmuxSession(config);
        (await session.TmuxAsync("new-session", "-d", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture), command)).EnsureSuccess();
        return session;
    }

    public async Task SendKeysAsync(params string[] keys) => (await TmuxAsync(["send-keys", .. keys])).EnsureSuccess();

    /// <summary>Types text literally (no key names).</summary>
    public async Task TypeAsync(string text) => (await TmuxAsync("send-keys", "-l", text)).EnsureSuccess();

    /// <summary>The visible screen, or with <paramref name="history"/> the scrollback above it too.</summary>
    public async Task<string[]> CaptureAsync(bool history = false) =>
        (await TmuxAsync(history ? ["capture-pane", "-p", "-S", "-"] : ["capture-pane", "-p"])).Stdout.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();

    public async Task<string> DisplayAsync(string format) => (await TmuxAsync("display-message", "-p", format)).Stdout.TrimEnd('\n');

    /// <summary>Waits until the screen is exactly <paramref name="expected"/> (lines without trailing spaces; missing lines blank).</summary>
    public Task WaitForScreenAsync(IReadOnlyList<string> expected, string step) =>
        WaitForAnyAsync(screen => Same(screen, expected), step, "Expected:\n" + string.Join('\n', expected));

    /// <summary>Waits until the screen satisfies <paramref name="ready"/>.</summary>
    public async Task WaitForAnyAsync(Func<string[], bool> ready, string step, string? expectation = null)
    {
        string[] last = [];
        using var cts = new CancellationTokenSource(Deadline);
        while (!cts.IsCancellationRequested)
        {
            last = await CaptureAsync();
            if (ready(last)) return;
            // Polling interval, not a synchronisation: the deadline above decides failure.
            await Task.Delay(100, CancellationToken.None);
        }
        Assert.Fail($"{step}: the screen did not become the expected one within {Deadline.TotalSeconds} s.\n{expectation}\nLast screen:\n{string.Join('\n', last)}");
    }

    /// <summary>
    /// Waits until the pane's command has ended (its terminal closed). Not its exit status: in the
    /// full parallel suite tmux sometimes never reaps the shell, so #{pane_dead_status} stays empty
    /// for good (seen in CI, not alone); what the command printed is the evidence to assert on.
    /// </summary>
    public async Task WaitForPaneClosedAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (!cts.IsCancellationRequested)
        {
            if (await DisplayAsync("#{pane_dead}") == "1") return;
            await Task.Delay(100, CancellationToken.None);
        }
        Assert.Fail($"the command in tmux did not end within {Deadline.TotalSeconds} s; last screen:\n{string.Join('\n', await CaptureAsync())}");
    }

    /// <summary>Resizes the window, as a user dragging the terminal would.</summary>
    public async Task ResizeAsync(int width, int height) =>
        (await TmuxAsync("resize-window", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();

    public async ValueTask DisposeAsync() => await TmuxAsync("kill-server");

    /// <summary>
    /// Runs <paramref name="command"/> to its end in a <paramref name="width"/>x<paramref name="height"/>
    /// window of a server of its own and returns the screen with its scrollback (wrapped lines
    /// joined, trailing blanks dropped) and the command's exit code. The test waits on the
    /// command's end (<c>tmux wait-for</c>), never on a clock; the runner's timeout bounds it.
    /// </summary>
    public static async Task<(string Screen, int ExitCode)> RunToEndAsync(IReadOnlyList<string> command, int width = 160, int height = 50)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireTmux();
        var socket = "strata-test-" + Guid.NewGuid().ToString("N")[..12];
        var script = string.Join(' ', command.Select(ProcessRunner.Quote)) + $"; echo \"exit=$?\"; {Binary} -L {socket} wait-for -S done; exec cat";
        try
        {
            await OkAsync(socket, "-f", "/dev/null", "new-session", "-d", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture), "-s", "main", script);
            await OkAsync(socket, "wait-for", "done");
            var screen = await OkAsync(socket, "capture-pane", "-p", "-J", "-t", "main", "-S", "-", "-E", "-");
            var lines = screen.TrimEnd('\n', ' ').Split('\n').Select(l => l.TrimEnd()).ToList();
            var last = lines.FindLastIndex(l => l.StartsWith("exit=", StringComparison.Ordinal));
            if (last < 0) throw new XunitException("the command's exit line is not on the screen:\n" + screen);
            return (string.Join('\n', lines[..last]) + "\n", int.Parse(lines[last]["exit=".Length..], CultureInfo.InvariantCulture));
        }
        finally
        {
            await ProcessRunner.RunAsync(Binary, "-L", socket, "kill-server");
        }
    }

    private static async Task<string> OkAsync(string socket, params string[] args) =>
        (await ProcessRunner.RunAsync(Binary, ["-L", socket, .. args], new RunOptions())).EnsureSuccess().Stdout;

    private static void RequireTmux()
    {
        if (!File.Exists(Binary)) throw new XunitException($"{Binary} is missing: run scripts/install-deps.sh (package tmux)");
    }

    private static bool Same(string[] screen, IReadOnlyList<string> expected)
    {
        for (int i = 0; i < Math.Max(screen.Length, expected.Count); i++)
            if ((i < screen.Length ? screen[i] : "") != (i < expected.Count ? expected[i] : "")) return false;
        return true;
    }

    private Task<ProcessResult> TmuxAsync(params string[] args) => ProcessRunner.RunAsync(Binary, ["-L", _socket, "-f", _config, .. args], new RunOptions());
}
