using System.Diagnostics;
using Strata.Tests;

namespace Strata.Cli.Tests;

/// <summary>Runs the real <c>strata</c> binary (the built strata.dll under <c>dotnet</c>) and captures its output.</summary>
internal static class StrataProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static string StrataDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        if (File.Exists(local)) return local;
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", config, "net10.0", "strata.dll");
    }

    public static Task<Result> RunAsync(string? stdin, params string[] args) => RunInAsync(null, stdin, args);

    /// <summary>Runs strata in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static async Task<Result> RunInAsync(string? workingDirectory, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(StrataDll());
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: strata ended without reading its input (an early error); the result says why.
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
