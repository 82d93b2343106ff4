using System.Diagnostics;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Git;

/// <summary>
/// git's smart HTTP protocol on 127.0.0.1: the real <c>git http-backend</c> CGI, run per request
/// by a few lines of python (python's own CGI handler drops root to nobody, who cannot read the
/// test's repositories). Serves the bare repositories under <see cref="BaseDirectory"/> as
/// <c>http://127.0.0.1:PORT/NAME.git</c>, and logs each request path to <see cref="LogPath"/>.
/// </summary>
internal sealed class GitHttpServer : IAsyncDisposable
{
    private const string Bridge = """
        import os, subprocess, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        root, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        class Handler(BaseHTTPRequestHandler):
            def run(self):
                path, _, query = self.path.partition('?')
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL='1', REQUEST_METHOD=self.command,
                           PATH_INFO=path, QUERY_STRING=query, CONTENT_TYPE=self.headers.get('Content-Type') or '',
                           CONTENT_LENGTH=str(len(body)), REMOTE_ADDR='127.0.0.1',
                           HTTP_CONTENT_ENCODING=self.headers.get('Content-Encoding') or '',
                           GIT_PROTOCOL=self.headers.get('Git-Protocol') or '')
                out = subprocess.run(['git', 'http-backend'], input=body, env=env, capture_output=True).stdout
                head, _, payload = out.partition(b'\r\n\r\n')
                headers = [l.split(': ', 1) for l in head.decode().split('\r\n') if ': ' in l]
                status = next((int(v.split()[0]) for k, v in headers if k.lower() == 'status'), 200)
                with open(log, 'a') as f: f.write(self.command + ' ' + path + ' ' + str(status) + '\n')
                self.send_response(status)
                for k, v in headers:
                    if k.lower() != 'status': self.send_header(k, v)
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            do_GET = run
            do_POST = run
            def log_message(self, *args): pass
        ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()
        """;

    private readonly Process _process;

    private GitHttpServer(Process process, string baseDirectory, int port, string logPath)
    {
        _process = process;
        BaseDirectory = baseDirectory;
        Port = port;
        LogPath = logPath;
    }

    public string BaseDirectory { get; }

    public int Port { get; }

    public string LogPath { get; }

    public string Url(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    public static async Task<GitHttpServer> StartAsync(string baseDirectory, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var script = Path.Combine(scratch, "git-http.py");
        await File.WriteAllTextAsync(script, Bridge);
        var log = Path.Combine(scratch, "git-http.log");
        int port = LoopbackService.FreePort();
        var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])[script, baseDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture), log]) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3");
        var server = new GitHttpServer(process, baseDirectory, port, log);
        await LoopbackService.WaitListeningAsync(process, port, "git http server", () => process.StandardError.ReadToEndAsync());
        return server;
    }

    /// <summary>The requests served so far, e.g. <c>POST /repo.git/git-upload-pack 200</c>.</summary>
    public IReadOnlyList<string> Requests() => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];

    public async ValueTask DisposeAsync()
    {
        await LoopbackService.StopAsync(_process);
        _process.Dispose();
    }
}
