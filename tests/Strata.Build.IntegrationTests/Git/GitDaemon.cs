using System.Diagnostics;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Git;

/// <summary>
/// A real <c>git daemon</c> on 127.0.0.1 exporting every repository under <see cref="BaseDirectory"/>
/// (so <c>git://127.0.0.1:PORT/NAME</c> is <c>BaseDirectory/NAME</c>), stopped on dispose.
/// </summary>
internal sealed class GitDaemon : IAsyncDisposable
{
    private readonly Process _process;

    private GitDaemon(Process process, string baseDirectory, int port)
    {
        _process = process;
        BaseDirectory = baseDirectory;
        Port = port;
    }

    public string BaseDirectory { get; }

    public int Port { get; }

    public string Url(string repository) => $"git://127.0.0.1:{Port}/{repository}";

    public static async Task<GitDaemon> StartAsync(string baseDirectory)
    {
        Directory.CreateDirectory(baseDirectory);
        int port = LoopbackService.FreePort();
        var psi = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["daemon", "--export-all", "--reuseaddr", "--base-path=" + baseDirectory, "--listen=127.0.0.1", "--port=" + port, baseDirectory])
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git daemon");
        var daemon = new GitDaemon(process, baseDirectory, port);
        await LoopbackService.WaitListeningAsync(process, port, "git daemon", () => process.StandardError.ReadToEndAsync());
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackService.StopAsync(_process);
        _process.Dispose();
    }
}
