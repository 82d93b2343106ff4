namespace Strata.Rootfs;

/// <summary>A mounted read-only root.</summary>
public interface IMountedView : IAsyncDisposable
{
    string Path { get; }
}
