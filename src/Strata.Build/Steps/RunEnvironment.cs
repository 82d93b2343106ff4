namespace Strata.Build.Steps;

/// <summary>
/// The environment a RUN sees: the config's ENV (with ARG values ENV does not override) and the
/// in-scope build args. It is also the RUN's cache input (args and env), so both use this one function.
/// </summary>
internal static class RunEnvironment
{
    private static readonly string[] ProxyNames = ["http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"];

    public static List<string> Of(Oci.ContainerConfig container, IReadOnlyDictionary<string, string>? runEnv, IReadOnlyDictionary<string, string> buildArgs)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(buildArgs);
        var env = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in container.Env ?? [])
        {
            var key = entry.Split('=', 2)[0];
            seen.Add(key);
            env.Add(runEnv is not null && runEnv.TryGetValue(key, out var v) ? $"{key}={v}" : entry);
        }
        if (runEnv is not null)
            foreach (var (k, v) in runEnv.OrderBy(p => p.Key, StringComparer.Ordinal))
                if (seen.Add(k)) env.Add($"{k}={v}");
        // A proxy build arg (any case) reaches RUN in both spellings, HTTP_PROXY and http_proxy,
        // as BuildKit's proxy environment sets them.
        foreach (var name in ProxyNames)
        {
            var given = buildArgs.Where(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value).FirstOrDefault();
            if (given is null) continue;
            foreach (var spelling in new[] { name.ToUpperInvariant(), name })
                if (seen.Add(spelling)) env.Add($"{spelling}={given}");
        }
        return env;
    }
}
