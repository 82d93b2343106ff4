namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// The real CLI (env STRATA_BIN, else the built strata) builds on a busybox base with runc and
/// <c>strata builder logs</c> prints every line a RUN wrote. Needs root and runc, as builds do.
/// </summary>
public sealed class BuildLogsEndToEndTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-buildlogs-e2e-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task Build_logs_prints_all_2000_lines_of_a_RUN()
    {
        var root = Path.Combine(_tempDir.Path, "store");
        var rootfs = Path.Combine(_tempDir.Path, "rootfs");
        BusyboxRootfs.Minimal.Create(rootfs);
        var context = Path.Combine(_tempDir.Path, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM bb:1\nRUN i=0; while [ $i -lt 2000 ]; do echo out-$i; i=$((i+1)); done\n");

        var import = await RunAsync("--root", root, "import", rootfs, "bb:1");
        Assert.True(import.ExitCode == 0, import.Stderr);
        var build = await RunAsync("--root", root, "build", "--progress", "auto", context);
        Assert.True(build.ExitCode == 0, build.Stderr);
        Assert.Contains("#2 DONE", build.Stderr, StringComparison.Ordinal); // stderr is a pipe: auto means plain

        var logs = await RunAsync("--root", root, "builder", "logs");
        Assert.True(logs.ExitCode == 0, logs.Stderr);
        var lines = logs.Stdout.Split('\n');
        for (int i = 0; i < 2000; i++) Assert.Contains($"#2 out-{i}", lines);

        var list = await RunAsync("--root", root, "builder", "logs", "--list");
        var id = list.Stdout.Split('\n')[1].Split(' ')[0];
        Assert.Matches("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{6}$", id);
        var byId = await RunAsync("--root", root, "builder", "logs", id);
        Assert.Equal(logs.Stdout, byId.Stdout);
    }

    private static Task<ProcessResult> RunAsync(params string[] args) => StrataCli.WithoutStore.RunAsync(args);
}
