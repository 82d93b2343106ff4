namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// A real tmux server of its own (private socket, no user config) running one command in a
/// detached session; the pane stays after the command exits so its last screen and exit status
/// can be read. Screens are awaited by polling <c>capture-pane</c> until they match, with a
/// generous deadline that fails the test and shows the last screen.
/// </summary>
internal sealed class TmuxSession : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _socket = "strata-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The server's socket name (<c>tmux -L</c>), for commands this class does not wrap.</summary>
    public string Socket => _socket;
    private readonly string _config;

    private TmuxSession(string config) => _config = config;

    public static async Task<TmuxSession> StartAsync(string dir, string command, int width, int height)
    {
        var config = Path.Combine(dir, "tmux.conf");
        await File.WriteAllTextAsync(config, "set -g remain-on-exit on\n");
        var session = new TmuxSession(config);
        (await session.TmuxAsync("new-session", "-d", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), command)).Ok();
        return session;
    }

    public async Task SendKeysAsync(params string[] keys) => (await TmuxAsync(["send-keys", .. keys])).Ok();

    /// <summary>Types text literally (no key names).</summary>
    public async Task TypeAsync(string text) => (await TmuxAsync("send-keys", "-l", text)).Ok();

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

    public async ValueTask DisposeAsync() => await TmuxAsync("kill-server");

    private static bool Same(string[] screen, IReadOnlyList<string> expected)
    {
        for (int i = 0; i < Math.Max(screen.Length, expected.Count); i++)
            if ((i < screen.Length ? screen[i] : "") != (i < expected.Count ? expected[i] : "")) return false;
        return true;
    }

    private Task<StrataRun.Result> TmuxAsync(params string[] args) => StrataRun.RunAsync("tmux", ["-L", _socket, "-f", _config, .. args]);
}
