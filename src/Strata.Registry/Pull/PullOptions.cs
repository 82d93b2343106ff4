using Strata.Core;

namespace Strata.Registry.Pull;

/// <summary>What a pull fetches and how.</summary>
public sealed record PullOptions
{
    /// <summary>The platform an index is resolved to. Default: the host's.</summary>
    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>
    /// Layers downloaded at once. Default 4 (docker's default): each download keeps a thread
    /// writing and one measuring the diff ID, so 4 already keep a small machine's cores busy;
    /// more did not lower the work of a loopback pull, only raised its memory (bench/RESULTS.md).
    /// </summary>
    public int MaxConcurrentDownloads { get; init; } = 4;

    /// <summary>
    /// Layers of more bytes than this are fetched as <see cref="RangesPerLayer"/> range requests
    /// at once (<see cref="Transport.ParallelRanges"/>). Default 64 MiB: ranges pay where one
    /// connection is throttled (object stores, CDNs); where it is not (loopback) the scratch
    /// file's write and read-back only add work (bench/RESULTS.md), so smaller layers come as one
    /// stream.
    /// </summary>
    public long ParallelRangeThreshold { get; init; } = Transport.ParallelRanges.DefaultThreshold;

    /// <summary>Range requests at once for one big layer; 1 fetches every layer as one stream. Default 4.</summary>
    public int RangesPerLayer { get; init; } = Transport.ParallelRanges.DefaultParts;
}
