using Strata.Core;

namespace Strata.Registry.Pull;

/// <summary>What a pull fetches and how.</summary>
public sealed record PullOptions
{
    /// <summary>The platform an index is resolved to. Default: the host's.</summary>
    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>Layers downloaded at once. Default 4 (docker's default).</summary>
    public int MaxConcurrentDownloads { get; init; } = 4;
}
