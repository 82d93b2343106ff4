namespace Strata.Registry.Transport;

/// <summary>How the registry client behaves; the CLI fills it from flags and the environment.</summary>
public sealed record RegistryOptions
{
    /// <summary>
    /// Registries (<c>host[:port]</c>) that may be spoken to over plain http when https fails.
    /// Loopback registries always may, as docker allows. Default: none.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>The largest manifest, index or config accepted, in bytes. Default 4 MiB (the distribution spec's suggested manifest limit).</summary>
    public long MaxDocumentBytes { get; init; } = 4 << 20;

    /// <summary>Redirects followed per request. Default 10.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Sent as User-Agent.</summary>
    public string UserAgent { get; init; } = "strata";
}
