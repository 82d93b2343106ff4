using System.Diagnostics;

namespace Strata.Content.Tests;

/// <summary>
/// A real second process, for what only another process can show: flocks held elsewhere,
/// concurrent commits, and a writer killed with SIGKILL half-way through. Either a shell script
/// or this test assembly itself running one of <see cref="ChildProgram"/>'s modes.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
    }

    /// <summary><c>/bin/sh -c script</c> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Shell(string script, string workingDirectory) => new("/bin/sh", ["-c", script], workingDirectory);

    /// <summary>This test assembly run as a program (<c>dotnet exec</c>), in mode <paramref name="arguments"/>[0].</summary>
    public static ChildProcess Self(params string[] arguments)
    {
        // The test host runs under the dotnet muxer, so its own path is the muxer to exec with.
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        return new(dotnet, ["exec", Path.Combine(AppContext.BaseDirectory, "Strata.Content.Tests.dll"), .. arguments], AppContext.BaseDirectory);
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
