using System.Diagnostics;
using System.Text;
using Strata.Tests;
using Xunit.Sdk;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>Runs the real programs the tests drive (strata, skopeo, docker) to completion; a hung one is killed and fails the test.</summary>
public static class Tool
{
    public const string Skopeo = "/usr/bin/skopeo";
    public const string Busybox = "/bin/busybox";

    /// <summary>The strata binary: <c>$STRATA_BIN</c> or the one the project reference built.</summary>
    public static string Strata
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("STRATA_BIN");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            string own = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", own, "net10.0", "strata");
            if (!File.Exists(path)) throw new XunitException($"the strata binary is not built at {path}");
            return path;
        }
    }

    public static async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null)
    {
        if (!File.Exists(file)) throw new XunitException($"{file} is missing: run scripts/install-deps.sh");
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["TZ"] = "UTC";
        info.Environment.Remove("STRATA_ROOT");
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program ended without reading its input; its exit code says why.
        }
        var commandLine = string.Join(' ', new[] { file }.Concat(arguments));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new XunitException($"`{commandLine}` did not finish within 3 minutes\n{await stdout}\n{await stderr}");
        }
        var result = new ProcessResult(commandLine, process.ExitCode, await stdout, await stderr);
        if (file == Strata && result.ExitCode == 125) throw new XunitException("strata reported an internal error (exit 125), which is a bug:\n" + result);
        return result;
    }

    public static async Task<string> OkAsync(string file, params string[] arguments) => (await RunAsync(file, arguments)).EnsureSuccess().Stdout;
}
