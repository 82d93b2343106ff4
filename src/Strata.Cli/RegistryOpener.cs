using Strata.Registry.Credentials;
using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// The registry client of one command, from the environment (libraries do not read it):
/// credentials from docker's config (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>), TLS settings from <c>$STRATA_CERTS_D</c> (default
/// <c>/etc/docker/certs.d</c>), registries allowed plain http besides loopback from
/// <c>STRATA_INSECURE_REGISTRIES</c> (comma-separated <c>host[:port]</c>).
/// </summary>
internal static class RegistryOpener
{
    public static DockerConfig Config()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return new DockerConfig(Path.Combine(dir, "config.json"));
    }

    public static RegistryClient Open()
    {
        var insecure = (Environment.GetEnvironmentVariable("STRATA_INSECURE_REGISTRIES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RegistryClient(new RegistryOptions
        {
            InsecureRegistries = insecure,
            Credentials = Config(),
            CertsDirectory = Environment.GetEnvironmentVariable("STRATA_CERTS_D") is { Length: > 0 } certs ? certs : "/etc/docker/certs.d",
            UserAgent = "strata/" + typeof(RegistryOpener).Assembly.GetName().Version?.ToString(3),
        });
    }
}
