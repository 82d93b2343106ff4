namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// Which strata processes have a lock file open, read from <c>/proc/PID/fd</c>: strata opens a
/// cache's lock file right before it waits for the flock, so an open descriptor in a build that
/// has not entered the step is the event "this build waits for the lock" (the wait itself polls
/// a non-blocking flock, which leaves no trace in <c>/proc/locks</c>).
/// </summary>
internal static class LockWaiters
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>How many descriptors of <paramref name="lockFile"/> strata processes hold open (one per waiting or holding lease).</summary>
    public static int OpenCount(string lockFile)
    {
        int count = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "comm")).Trim() != "strata") continue;
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(proc, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget == lockFile) count++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked: it holds nothing.
            }
        }
        return count;
    }

    /// <summary>Waits (polling: no notification exists) until <paramref name="condition"/> holds; a generous timeout fails the test.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what}: not seen within {Patience}");
            }
        }
    }
}
