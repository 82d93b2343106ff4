using System.Diagnostics;
using Strata.Tests;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// The live build view on a real terminal (a tmux server of its own): a step that missed the
/// cache says why on its own line, labelled as BuildKit labels steps. The test waits on the
/// command's end (<c>tmux wait-for</c>), never on a clock. Needs root, runc and tmux.
/// </summary>
public sealed class BuildLiveViewTests : IDisposable
{
    private const string Tmux = "/usr/bin/tmux";
    private readonly string _work = Directory.CreateTempSubdirectory("strata-liveview-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task A_missed_step_shows_its_reason_on_its_line_in_the_terminal_view()
    {
        Assert.True(File.Exists(Tmux), $"{Tmux} is missing: run scripts/install-deps.sh (package tmux)");
        var root = Path.Combine(_work, "store");
        var rootfs = Path.Combine(_work, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
        var context = Path.Combine(_work, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM bb:1\nCOPY a.txt /a.txt\nENV MODE=x\nRUN cat /a.txt > /seen\n");
        Assert.Equal(0, (await StrataProcess.RunAsync(null, "--root", root, "import", rootfs, "bb:1")).ExitCode);
        Assert.Equal(0, (await StrataProcess.RunAsync(null, "--root", root, "build", "--network", "none", "-q", context)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "two\n");

        var (screen, exit) = await OnTerminalAsync(["dotnet", StrataDll(), "--root", root, "build", "--network", "none", context]);

        Assert.True(exit == 0, screen);
        var lines = screen.Split('\n');
        Assert.Contains(lines, l => l.StartsWith(" => #", StringComparison.Ordinal) && l.Contains("[2/3] COPY a.txt /a.txt (miss: file changed: a.txt)", StringComparison.Ordinal) && l.EndsWith('s'));
        Assert.Contains(lines, l => l.StartsWith(" => #", StringComparison.Ordinal) && l.Contains("[3/3] RUN cat /a.txt > /seen (miss: parent step [2/3] rebuilt)", StringComparison.Ordinal));
        Assert.DoesNotContain("ENV MODE=x", screen, StringComparison.Ordinal);
    }

    private static string StrataDll()
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", config, "net10.0", "strata.dll");
    }

    /// <summary>The screen and scrollback after <paramref name="command"/> ran in a 160x50 tmux window, and its exit code.</summary>
    private static async Task<(string Screen, int ExitCode)> OnTerminalAsync(IReadOnlyList<string> command)
    {
        var socket = "strata-liveview-" + Guid.NewGuid().ToString("N")[..8];
        var script = string.Join(' ', command.Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"))
            + $"; echo \"exit=$?\"; {Tmux} -L {socket} wait-for -S done; exec cat";
        try
        {
            await TmuxAsync(socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", "-s", "main", script);
            await TmuxAsync(socket, "wait-for", "done");
            var screen = await TmuxAsync(socket, "capture-pane", "-p", "-J", "-t", "main", "-S", "-", "-E", "-");
            var lines = screen.TrimEnd('\n', ' ').Split('\n').Select(l => l.TrimEnd()).ToList();
            int last = lines.FindLastIndex(l => l.StartsWith("exit=", StringComparison.Ordinal));
            Assert.True(last >= 0, "the command's exit line is not on the screen:\n" + screen);
            return (string.Join('\n', lines[..last]) + "\n", int.Parse(lines[last]["exit=".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await TmuxAsync(socket, "kill-server");
        }
    }

    private static async Task<string> TmuxAsync(string socket, params string[] args)
    {
        var psi = new ProcessStartInfo(Tmux) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(socket);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return await stdout + await stderr;
    }
}
