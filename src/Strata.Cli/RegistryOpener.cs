using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// The registry client of one command. Registries allowed plain http besides loopback come from
/// <c>STRATA_INSECURE_REGISTRIES</c> (comma-separated <c>host[:port]</c>), read here because
/// libraries do not read the environment.
/// </summary>
internal static class RegistryOpener
{
    public static RegistryClient Open()
    {
        var insecure = (Environment.GetEnvironmentVariable("STRATA_INSECURE_REGISTRIES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RegistryClient(new RegistryOptions { InsecureRegistries = insecure, UserAgent = "strata/" + typeof(RegistryOpener).Assembly.GetName().Version?.ToString(3) });
    }
}
