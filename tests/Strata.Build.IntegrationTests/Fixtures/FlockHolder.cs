using System.Diagnostics;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// A real <c>flock -x FILE</c> process holding a lock file, as a build in another process holds
/// a cache entry's lock while it fetches: started and waited for until it holds the lock, let go
/// on <see cref="DisposeAsync"/> (the test decides when, no timer does).
/// </summary>
internal sealed class FlockHolder : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly string _release;

    private FlockHolder(Process process, string release)
    {
        _process = process;
        _release = release;
    }

    /// <summary>Holds <paramref name="lockFile"/> exclusively; <paramref name="scratch"/> is a directory for the ready and release markers.</summary>
    public static async Task<FlockHolder> HoldAsync(string lockFile, string scratch)
    {
        var ready = Path.Combine(scratch, "lock-ready-" + Guid.NewGuid().ToString("N"));
        var release = Path.Combine(scratch, "lock-release-" + Guid.NewGuid().ToString("N"));
        var process = Process.Start(new ProcessStartInfo("flock")
        {
            UseShellExecute = false,
            ArgumentList = { "-x", lockFile, "sh", "-c", $"touch '{ready}'; while [ ! -e '{release}' ]; do sleep 0.1; done" },
        }) ?? throw new InvalidOperationException("cannot start flock");
        var holder = new FlockHolder(process, release);
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(ready))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await holder.DisposeAsync();
                throw new InvalidOperationException($"flock did not take {lockFile} within {Patience}");
            }
            await Task.Delay(100);
        }
        return holder;
    }

    public async ValueTask DisposeAsync()
    {
        await File.WriteAllTextAsync(_release, "");
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
