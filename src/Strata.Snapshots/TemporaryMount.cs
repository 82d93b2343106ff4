namespace Strata.Snapshots;

/// <summary>A mounted snapshot at a directory made for it; disposing unmounts and removes the directory.</summary>
public sealed class TemporaryMount : IAsyncDisposable
{
    private int _disposed;

    internal TemporaryMount(string target) => Target = target;

    /// <summary>Where the tree is mounted.</summary>
    public string Target { get; }

    /// <summary>
    /// Unmounts and removes the (then empty) directory. The directory is removed non-recursively
    /// on purpose: if the unmount did not happen, deleting recursively would delete the
    /// snapshot's files through the mount.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await MountHelper.UnmountAllAsync(Target, CancellationToken.None).ConfigureAwait(false);
        Directory.Delete(Target);
    }
}
