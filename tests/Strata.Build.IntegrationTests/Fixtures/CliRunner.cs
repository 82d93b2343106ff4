using System.Diagnostics;
using System.Text;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// Runs a program to completion with a timeout, reading both streams concurrently (a child that
/// fills one pipe while we wait on the other would otherwise hang). A timeout kills the whole
/// process tree and fails loudly, so a stuck build never stalls the suite.
/// </summary>
internal static class CliRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdinFile = null, string? stdoutFile = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        var commandLine = file + " " + string.Join(' ', psi.ArgumentList);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        var stderrTask = process.StandardError.ReadToEndAsync();
        Task<string> stdoutTask;
        if (stdoutFile is not null)
        {
            stdoutTask = Task.Run(async () =>
            {
                await using var sink = File.Create(stdoutFile);
                await process.StandardOutput.BaseStream.CopyToAsync(sink);
                return "";
            });
        }
        else
        {
            stdoutTask = process.StandardOutput.ReadToEndAsync();
        }
        try
        {
            if (stdinFile is not null)
            {
                await using var source = File.OpenRead(stdinFile);
                await source.CopyToAsync(process.StandardInput.BaseStream);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: the command ended (or closed its input) without reading all of it,
            // as `run -it` on a pipe must. Its exit code and output are what the test checks.
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout ?? DefaultTimeout}");
        }
        return new ProcessResult(commandLine, process.ExitCode, await stdoutTask, await stderrTask);
    }

    public static Task<ProcessResult> RunAsync(string file, params string[] args) => RunAsync(file, (IEnumerable<string>)args);

    /// <summary>Quotes an argument for messages only (never passed to a shell).</summary>
    public static string Quote(string s) => s.Contains(' ', StringComparison.Ordinal) ? "'" + s + "'" : s;

    internal static string Join(IEnumerable<string> lines) => new StringBuilder().AppendJoin('\n', lines).ToString();
}
