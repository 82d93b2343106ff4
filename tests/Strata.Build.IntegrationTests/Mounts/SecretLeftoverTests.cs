using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// Secrets never on a persistent disk: while a RUN with an <c>env=</c> secret runs, runc's bundle
/// (whose config.json holds the value) is in the build's private /dev/shm directory and no file
/// of the store holds the value; a build killed with SIGKILL mid-step leaves that directory,
/// and <c>system prune</c> removes it once its process is gone.
/// </summary>
public sealed class SecretLeftoverTests : IClassFixture<BaseStore>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly BaseStore _base;

    public SecretLeftoverTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Env_secret_bundle_is_on_tmpfs_while_the_step_runs_and_a_SIGKILLed_builds_secret_dir_is_swept_by_system_prune()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "secret-kill");
        var fileMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var envMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secretFile = Path.Combine(_base.Root, "secret-kill-source.txt");
        await File.WriteAllTextAsync(secretFile, fileMarker);
        // The cache mount is the test's window into the step: the RUN says it runs there, and
        // waits there for the test's release file.
        build.Write("Dockerfile",
            "FROM base:1\n" +
            "RUN --mount=type=secret,id=ftok --mount=type=secret,id=etok,env=TOK --mount=type=cache,id=gate,target=/gate " +
            "sh -c 'test -s /run/secrets/ftok && test -n \"$TOK\" && touch /gate/running; i=0; while [ ! -e /gate/release ]; do sleep 1; i=$((i+1)); [ $i -lt 120 ] || exit 7; done; touch /gate/done'\n");

        using var process = strata.Start(["build", "--progress", "plain", "-t", "killed:1", "--secret", $"id=ftok,src={secretFile}", "--secret", "id=etok,env=MY_TOKEN", build.Context],
            new RunOptions { Environment = new Dictionary<string, string?> { ["MY_TOKEN"] = envMarker } });
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        string gate;
        try
        {
            gate = await WaitForAsync(() => GateDirectory(strata.StoreRoot) is { } g && File.Exists(Path.Combine(g, "running")) ? g : null, process, stderr);

            // The step runs: its secret directory is named for this build's pid, on /dev/shm ...
            var secretDir = Assert.Single(Directory.GetDirectories("/dev/shm", "strata-secrets-*"), d => Path.GetFileName(d).Contains($"-{process.Id}-", StringComparison.Ordinal));
            // ... and runc's bundle is inside it: the config.json that carries TOK is there.
            var bundle = Assert.Single(Directory.GetDirectories(secretDir));
            Assert.Contains("TOK=" + envMarker, await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")), StringComparison.Ordinal);
            // Nothing in the store holds either value, even now (runtime bundles, runtime state, metadata).
            foreach (var marker in new[] { fileMarker, envMarker })
            {
                var found = SecretMountTests.FilesContaining(strata.StoreRoot, Encoding.ASCII.GetBytes(marker)).ToList();
                Assert.True(found.Count == 0, "secret found in store files while the step runs:\n  " + string.Join("\n  ", found));
            }

            process.Kill(); // SIGKILL: the build's own cleanup never runs.
            await process.WaitForExitAsync();
            Assert.True(Directory.Exists(secretDir), "the killed build's secret directory should be left for prune to find");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        // The step dies with its build (issue 18: nothing keeps running): released now, it never
        // gets to write "done".
        File.WriteAllText(Path.Combine(gate, "release"), "");

        ProcessResult pruned;
        try
        {
            pruned = (await strata.RunAsync("system", "prune", "-f")).EnsureSuccess();
        }
        finally
        {
            // The killed build could not unmount its step's root filesystem.
            await UnmountUnderAsync(strata.StoreRoot);
        }

        // The next command (this prune) reaps what the killed build left as it opens the store,
        // its secret directory among them, before the prune itself looks.
        Assert.DoesNotContain("FAULT", pruned.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(gate, "done")), "the killed build's step kept running after its build was killed");
        Assert.DoesNotContain(Directory.GetDirectories("/dev/shm", "strata-secrets-*"), d => Path.GetFileName(d).Contains($"-{process.Id}-", StringComparison.Ordinal));
        foreach (var marker in new[] { fileMarker, envMarker })
        {
            var inShm = ShmFilesContaining(Encoding.ASCII.GetBytes(marker)).ToList();
            Assert.True(inShm.Count == 0, "secret left on /dev/shm:\n  " + string.Join("\n  ", inShm));
            var inStore = SecretMountTests.FilesContaining(strata.StoreRoot, Encoding.ASCII.GetBytes(marker)).ToList();
            Assert.True(inStore.Count == 0, "secret found in store files:\n  " + string.Join("\n  ", inStore));
        }
    }

    /// <summary>Lazily unmounts every mount below <paramref name="root"/>, deepest first.</summary>
    private static async Task UnmountUnderAsync(string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        var points = (await File.ReadAllLinesAsync("/proc/self/mounts"))
            .Select(l => l.Split(' ')[1].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(p => p.Length);
        foreach (var point in points) await ProcessRunner.RunAsync("umount", "-l", point);
    }

    /// <summary>The <c>gate</c> cache mount's directory, once the build made it.</summary>
    private static string? GateDirectory(string storeRoot)
    {
        var mounts = Path.Combine(storeRoot, "cache", "mounts");
        if (!Directory.Exists(mounts)) return null;
        return Directory.GetDirectories(mounts).FirstOrDefault(d => File.Exists(d + ".id") && File.ReadAllText(d + ".id") == "gate");
    }

    private static async Task<string> WaitForAsync(Func<string?> probe, Process? build, Task<string> stderr)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (probe() is { } found) return found;
            if (build is { HasExited: true }) Assert.Fail($"the build ended (exit {build.ExitCode}) before its step was seen running:\n{await stderr}");
            Assert.True(DateTime.UtcNow < deadline, $"the step did not get there within {Patience}");
            await Task.Delay(100);
        }
    }

    /// <summary>Regular files on /dev/shm holding <paramref name="needle"/>; files that vanish meanwhile (other processes' segments) are skipped.</summary>
    private static IEnumerable<string> ShmFilesContaining(byte[] needle)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var file in new DirectoryInfo("/dev/shm").EnumerateFiles("*", options))
        {
            byte[] bytes;
            try
            {
                // Only regular files: reading another process's fifo would block.
                if (!Strata.Core.Unix.Libc.Lstat(file.FullName).IsRegular || file.Length > 64 << 20) continue;
                bytes = File.ReadAllBytes(file.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (bytes.AsSpan().IndexOf(needle) >= 0) yield return file.FullName;
        }
    }
}
