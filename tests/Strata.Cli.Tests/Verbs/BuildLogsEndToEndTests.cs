using System.Diagnostics;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// The real CLI (env STRATA_BIN, else the built strata) builds on a busybox base with runc and
/// <c>strata builder logs</c> prints every line a RUN wrote. Needs root and runc, as builds do.
/// </summary>
public sealed class BuildLogsEndToEndTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("strata-buildlogs-e2e-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Build_logs_prints_all_2000_lines_of_a_RUN()
    {
        var root = Path.Combine(_work, "store");
        var rootfs = Path.Combine(_work, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
        var context = Path.Combine(_work, "context");
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

    private static async Task<StrataProcess.Result> RunAsync(params string[] args)
    {
        if (Environment.GetEnvironmentVariable("STRATA_BIN") is not { Length: > 0 } bin) return await StrataProcess.RunAsync(null, args);
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new StrataProcess.Result(process.ExitCode, await stdout, await stderr);
    }
}
