namespace Strata.Registry.Transport;

/// <summary>How the registry client behaves; the CLI fills it from flags and the environment.</summary>
public sealed record RegistryOptions
{
    /// <summary>
    /// Registries (<c>host[:port]</c>) that may be spoken to over plain http when https fails.
    /// Loopback registries always may, as docker allows. Default: none.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// registries.conf settings: mirrors and locations for pulls, registries allowed plain http
    /// or unverified TLS (<c>insecure</c>), names refused (<c>blocked</c>). Default: none.
    /// </summary>
    public Configuration.RegistriesConf Registries { get; init; } = Configuration.RegistriesConf.Empty;

    /// <summary>The largest manifest, index or config accepted, in bytes. Default 4 MiB (the distribution spec's suggested manifest limit).</summary>
    public long MaxDocumentBytes { get; init; } = 4 << 20;

    /// <summary>Redirects followed per request. Default 10.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Where credentials come from (docker's config.json). Default: none, anonymous.</summary>
    public Auth.ICredentialProvider? Credentials { get; init; }

    /// <summary>
    /// docker's per-registry TLS directory (<c>/etc/docker/certs.d</c>): <c>HOST[:PORT]/ca.crt</c>
    /// (CAs trusted besides the system's) and <c>*.cert</c> + <c>*.key</c> (client certificates).
    /// Default: null, the system store only.
    /// </summary>
    public string? CertsDirectory { get; init; }

    /// <summary>Retries of a request the registry answered 429, 408 or 5xx, or whose connection broke. Default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry's delay, doubled for each next one, with jitter; a <c>Retry-After</c> answer overrides it. Default 250 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest <c>Retry-After</c> honoured; a registry asking for longer gets this. Default 60 s.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock token lifetimes are measured with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Sent as User-Agent.</summary>
    public string UserAgent { get; init; } = "strata";
}
