using Microsoft.Win32.SafeHandles;

namespace Strata.Build.Engine.Mounts;

/// <summary>A cache mount directory in use by one step; disposing releases its lock (if its sharing mode took one).</summary>
internal sealed class CacheMountLease : IDisposable
{
    private readonly SafeFileHandle? _lock;

    public CacheMountLease(string directory, SafeFileHandle? heldLock)
    {
        Directory = directory;
        _lock = heldLock;
    }

    /// <summary>The host directory bind-mounted at the target.</summary>
    public string Directory { get; }

    public void Dispose() => _lock?.Dispose();
}
