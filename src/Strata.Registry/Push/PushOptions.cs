using Strata.Core;

namespace Strata.Registry.Push;

/// <summary>How a push uploads.</summary>
public sealed record PushOptions
{
    /// <summary>Layers uploaded at once. Default 4 (docker's default is 5; 4 matches pull).</summary>
    public int MaxConcurrentUploads { get; init; } = 4;

    /// <summary>
    /// Null (default): each blob in one monolithic PUT. Otherwise blobs are sent in PATCH chunks
    /// of this many bytes (raised to the registry's <c>OCI-Chunk-Min-Length</c> when it asks
    /// for more), for proxies that cap request bodies.
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// Where blobs were seen in the same registry (a repository path per digest, from earlier
    /// pulls), for cross-repository mounts instead of uploads. Default: none.
    /// </summary>
    public Func<Digest, string?> KnownSource { get; init; } = _ => null;
}
