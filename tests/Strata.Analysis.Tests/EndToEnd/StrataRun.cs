using System.Diagnostics;
using Strata.Tests;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>Runs a program (the real strata: env STRATA_BIN, else the strata.dll built beside the tests) and captures its output.</summary>
internal static class StrataRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result Ok()
        {
            Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}");
            return this;
        }
    }

    public static Task<Result> StrataAsync(string root, string? workingDirectory, params string[] args)
    {
        var (program, arguments) = Command(root, args);
        return RunAsync(program, arguments, workingDirectory);
    }

    /// <summary>The program and arguments that run strata on <paramref name="root"/> (for a test that starts it elsewhere, as in tmux).</summary>
    public static (string Program, string[] Args) Command(string root, params string[] args)
    {
        if (Environment.GetEnvironmentVariable("STRATA_BIN") is { Length: > 0 } bin) return (bin, ["--root", root, .. args]);
        var dll = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        if (!File.Exists(dll))
        {
            var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            dll = Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", config, "net10.0", "strata.dll");
        }
        return ("dotnet", [dll, "--root", root, .. args]);
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A busybox root filesystem (the offline base the build tests use).</summary>
    public static void BusyboxRootfs(string rootfs)
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
    }
}
