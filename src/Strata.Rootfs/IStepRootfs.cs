using Strata.Archive;

namespace Strata.Rootfs;

/// <summary>A mounted writable root for one step.</summary>
public interface IStepRootfs : IAsyncDisposable
{
    /// <summary>The mounted root filesystem.</summary>
    string Path { get; }

    /// <summary>
    /// Unmounts and turns what the step changed into a layer (stored and recorded), then keeps
    /// the snapshot as that layer's chain. Null when nothing changed (no layer is made), unless
    /// <paramref name="keepEmpty"/>: then an empty layer is made, as BuildKit does for WORKDIR.
    /// </summary>
    Task<CommittedLayer?> CommitAsync(LayerWriteOptions options, bool keepEmpty, CancellationToken cancellationToken);
}
