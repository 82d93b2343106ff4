namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// The live build view on a real terminal (a tmux server of its own): a step that missed the
/// cache says why on its own line, labelled as BuildKit labels steps. The test waits on the
/// command's end (<c>tmux wait-for</c>), never on a clock. Needs root, runc and tmux.
/// </summary>
public sealed class BuildLiveViewTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-liveview-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task A_missed_step_shows_its_reason_on_its_line_in_the_terminal_view()
    {
        var root = Path.Combine(_tempDir.Path, "store");
        var rootfs = Path.Combine(_tempDir.Path, "rootfs");
        BusyboxRootfs.Minimal.Create(rootfs);
        var context = Path.Combine(_tempDir.Path, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM bb:1\nCOPY a.txt /a.txt\nENV MODE=x\nRUN cat /a.txt > /seen\n");
        Assert.Equal(0, (await StrataCli.WithoutStore.RunAsync("--root", root, "import", rootfs, "bb:1")).ExitCode);
        Assert.Equal(0, (await StrataCli.WithoutStore.RunAsync("--root", root, "build", "--network", "none", "-q", context)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "two\n");

        var (screen, exit) = await TmuxSession.RunToEndAsync(new StrataCli(root).Command("build", "--network", "none", context));

        Assert.True(exit == 0, screen);
        var lines = screen.Split('\n');
        Assert.Contains(lines, l => l.StartsWith(" => #", StringComparison.Ordinal) && l.Contains("[2/3] COPY a.txt /a.txt (miss: file changed: a.txt)", StringComparison.Ordinal) && l.EndsWith('s'));
        Assert.Contains(lines, l => l.StartsWith(" => #", StringComparison.Ordinal) && l.Contains("[3/3] RUN cat /a.txt > /seen (miss: parent step [2/3] rebuilt)", StringComparison.Ordinal));
        Assert.DoesNotContain("ENV MODE=x", screen, StringComparison.Ordinal);
    }
}
