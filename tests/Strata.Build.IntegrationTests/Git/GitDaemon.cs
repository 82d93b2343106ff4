using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var psi = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["daemon", "--export-all", "--reuseaddr", "--base-path=" + baseDirectory, "--listen=127.0.0.1", "--port=" + port, baseDirectory])
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git daemon");
        var daemon = new GitDaemon(process, baseDirectory, port);
        // Ready once it accepts a connection; a daemon that exits or never listens fails the test loudly.
        for (int attempt = 0; ; attempt++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"git daemon exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return daemon;
            }
            catch (SocketException) when (attempt < 200)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
