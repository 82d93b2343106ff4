using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>What the real servers tests start on 127.0.0.1 (http.server, git daemon, git over HTTP) share: a free port, waiting until they listen, stopping them.</summary>
internal static class LoopbackService
{
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Returns once <paramref name="process"/> accepts a connection on <paramref name="port"/>; a
    /// process that exits (its <paramref name="output"/> in the message) or never listens within
    /// 10 s is stopped and fails the test loudly.
    /// </summary>
    public static async Task WaitListeningAsync(Process process, int port, string what, Func<Task<string>> output)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{what} exited with {process.ExitCode}: {await output()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        await StopAsync(process);
        throw new InvalidOperationException($"{what} did not listen on 127.0.0.1:{port}");
    }

    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
