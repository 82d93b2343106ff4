using System.Diagnostics;

namespace Strata.Build.FileOps;

/// <summary>
/// Runs the real <c>git</c> binary without a terminal, a user's or the system's config (so a
/// build does not depend on who runs it) and without ever prompting for credentials.
/// </summary>
internal static class GitProcess
{
    /// <summary>Runs git with <paramref name="arguments"/>; returns its trimmed stdout, or throws <see cref="GitFailedException"/> with git's own last error line.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_ASKPASS"] = "/bin/false";
        // git@ remotes: never wait on a host-key or passphrase prompt (no terminal is there to answer).
        psi.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        psi.Environment["LC_ALL"] = "C";
        foreach (var config in (string[])["-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false", "-c", "protocol.file.allow=always"]) psi.ArgumentList.Add(config);
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new GitFailedException("cannot start git");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new GitFailedException($"ADD of a git repository needs the git program, which cannot be started: {ex.Message}", ex);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0) throw new GitFailedException(LastError(errors, process.ExitCode));
            return output.Trim();
        }
    }

    /// <summary>git's last <c>fatal:</c> (else <c>error:</c>, else last) line and its continuation lines, as one line.</summary>
    private static string LastError(string stderr, int exitCode)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int at = Array.FindLastIndex(lines, l => l.StartsWith("fatal:", StringComparison.Ordinal));
        if (at < 0) at = Array.FindLastIndex(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        if (at < 0) at = lines.Length - 1;
        // git wraps some messages ("unable to connect to HOST:" then the errno): keep them one line.
        return at < 0 ? $"git exited with code {exitCode}" : string.Join(' ', lines[at..]);
    }
}
