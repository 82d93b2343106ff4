using System.Diagnostics;

namespace Strata.Content.Tests;

/// <summary>
/// A real second process (<c>/bin/sh -c</c>), for what only another process can show: flocks held
/// elsewhere, and a writer killed with SIGKILL half-way through.
/// </summary>
internal sealed class ShellProcess : IDisposable
{
    private readonly Process _process;

    public ShellProcess(string script, string workingDirectory)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start /bin/sh");
    }

    /// <summary>Waits for the script to print <paramref name="line"/> (its "I hold the lock" signal).</summary>
    public async Task WaitForLineAsync(string line)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var read = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (read is null)
                throw new InvalidOperationException($"child exited before printing \"{line}\": {await _process.StandardError.ReadToEndAsync()}");
            if (read == line) return;
        }
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the shell and everything it started: a crash, not a clean exit.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }
}
