using Strata.Core;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// ARGs that exist without a declaration. The proxy family may be passed with --build-arg and
/// reach RUN without an ARG line, and must never be written to history; the platform family and
/// SOURCE_DATE_EPOCH are in the global scope (visible to FROM) and visible in a stage once
/// declared with a bare <c>ARG NAME</c>.
/// </summary>
public static class PredefinedArgs
{
    /// <summary>The proxy args, both cases, as docker defines them.</summary>
    public static IReadOnlySet<string> Proxy { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    /// <summary>True for an arg whose value must be kept out of image history.</summary>
    public static bool IsExcludedFromHistory(string name) => Proxy.Contains(name);

    /// <summary>True for TARGETPLATFORM, TARGETOS, ..., BUILDVARIANT.</summary>
    public static bool IsPlatform(string name) => name is "TARGETPLATFORM" or "TARGETOS" or "TARGETARCH" or "TARGETVARIANT" or "BUILDPLATFORM" or "BUILDOS" or "BUILDARCH" or "BUILDVARIANT";

    /// <summary>TARGET* and BUILD* values for the given platforms.</summary>
    public static Dictionary<string, string> Platform(Platform target, Platform build)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(build);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TARGETPLATFORM"] = target.ToString(),
            ["TARGETOS"] = target.Os,
            ["TARGETARCH"] = target.Architecture,
            ["TARGETVARIANT"] = target.Variant ?? "",
            ["BUILDPLATFORM"] = build.ToString(),
            ["BUILDOS"] = build.Os,
            ["BUILDARCH"] = build.Architecture,
            ["BUILDVARIANT"] = build.Variant ?? "",
        };
    }
}
