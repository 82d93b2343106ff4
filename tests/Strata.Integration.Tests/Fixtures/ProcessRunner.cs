using System.Diagnostics;
using System.Text;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>Runs a real program to completion and captures its output; a hung program is killed
/// at the timeout and fails the test with what it printed so far.</summary>
public static class ProcessRunner
{
    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, new RunOptions());

    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);
        using var process = Start(fileName, arguments, options, redirectStdin: options.StdinFile is not null);
        string commandLine = CommandLine(fileName, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (options.StdinFile is { } stdinFile)
        {
            try
            {
                await using (var input = File.OpenRead(stdinFile))
                    await input.CopyToAsync(process.StandardInput.BaseStream);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program may stop reading early (that is its answer); the exit code says the rest.
            }
        }
        using var timeout = new CancellationTokenSource(options.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new XunitException($"`{commandLine}` did not finish within {options.Timeout.TotalSeconds:0}s and was killed\n--- stdout:\n{await stdout}\n--- stderr:\n{await stderr}");
        }
        return new ProcessResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a program with redirected output and returns at once (for tests that kill it).</summary>
    public static Process Start(string fileName, IReadOnlyList<string> arguments, RunOptions options, bool redirectStdin = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (options.WorkingDirectory is { } wd) info.WorkingDirectory = wd;
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        try
        {
            return Process.Start(info) ?? throw new XunitException($"cannot start {fileName}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new XunitException($"cannot start {fileName}: {ex.Message} (scripts/install-deps.sh installs the tools the integration tests need)");
        }
    }

    public static string CommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(a => a.Length == 0 || a.Any(c => c is ' ' or '"' or '\'' or '\t' or '{' or '$') ? "'" + a.Replace("'", "'\\''") + "'" : a));
}
