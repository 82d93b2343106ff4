using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>
/// Runs a real program to completion, reading both streams concurrently (a child that fills one
/// pipe while we wait on the other would otherwise hang). A program still running at the timeout
/// is killed with its whole process tree and fails the test naming the command and what it
/// printed. A run of the strata binary that exits 125 (its "unexpected internal error") fails
/// the test whatever it expected: it is a bug.
/// </summary>
public static class ProcessRunner
{
    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, new RunOptions());

    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);
        using var process = Start(fileName, arguments, options, redirectStdin: true);
        string commandLine = CommandLine(fileName, arguments);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = options.StdoutFile is { } stdoutFile
            ? Task.Run(async () =>
            {
                await using var sink = File.Create(stdoutFile);
                await process.StandardOutput.BaseStream.CopyToAsync(sink);
                return "";
            })
            : process.StandardOutput.ReadToEndAsync();
        try
        {
            if (options.StdinFile is { } stdinFile)
            {
                await using var input = File.OpenRead(stdinFile);
                await input.CopyToAsync(process.StandardInput.BaseStream);
            }
            else if (options.StdinText is { } text)
            {
                await process.StandardInput.WriteAsync(text);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: the program ended (or closed its input) without reading all of it,
            // which can be its answer (an early error, `run -it` on a pipe); its exit code says the rest.
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
            throw new XunitException($"`{commandLine}` did not finish within {options.Timeout.TotalSeconds:0} s and was killed with its children\n--- stdout:\n{await stdout}\n--- stderr:\n{await stderr}");
        }
        var result = new ProcessResult(commandLine, process.ExitCode, await stdout, await stderr);
        if (result.ExitCode == StrataExit.InternalError && StrataBinary.IsStrata(fileName))
            throw new XunitException("strata reported an unexpected internal error (exit 125), which is a bug:\n" + result);
        return result;
    }

    /// <summary>Starts a program with redirected output and returns at once (for tests that kill it or talk to it).</summary>
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
        catch (Win32Exception ex)
        {
            throw new XunitException($"cannot start {fileName}: {ex.Message} (scripts/install-deps.sh installs the tools the tests need)");
        }
    }

    /// <summary>The command as a shell would read it, for messages only (never passed to a shell).</summary>
    public static string CommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    /// <summary>A word quoted for sh (for messages and for scripts run in tmux).</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=,+@%-".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
