using Strata.Registry.Configuration;
using Strata.Registry.Credentials;
using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// The registry client of one command, from the environment (libraries do not read it):
/// credentials from docker's config (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>), TLS settings from <c>$STRATA_CERTS_D</c> (default
/// <c>/etc/docker/certs.d</c>), registries allowed plain http besides loopback from
/// <c>STRATA_INSECURE_REGISTRIES</c> (comma-separated <c>host[:port]</c>), mirrors and registry
/// settings from registries.conf (<see cref="RegistriesConfPath"/>).
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

    /// <summary>
    /// The registries.conf podman and buildah read: <c>$CONTAINERS_REGISTRIES_CONF</c> when set
    /// (then it must exist), else <c>$HOME/.config/containers/registries.conf</c> when it exists
    /// (the user's file wins over the system's, containers-registries.conf(5)), else
    /// <c>/etc/containers/registries.conf</c>; null when there is none.
    /// </summary>
    public static string? RegistriesConfPath()
    {
        if (Environment.GetEnvironmentVariable("CONTAINERS_REGISTRIES_CONF") is { Length: > 0 } chosen) return chosen;
        var user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "containers", "registries.conf");
        if (File.Exists(user)) return user;
        return File.Exists(SystemRegistriesConf) ? SystemRegistriesConf : null;
    }

    private const string SystemRegistriesConf = "/etc/containers/registries.conf";

    private static RegistriesConf RegistriesConf()
    {
        if (RegistriesConfPath() is not { } path) return Strata.Registry.Configuration.RegistriesConf.Empty;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistriesConfException($"{path}: cannot read the registries configuration: {e.Message}", e);
        }
        return RegistriesConfParser.Parse(text, path);
    }

    public static RegistryClient Open()
    {
        var insecure = (Environment.GetEnvironmentVariable("STRATA_INSECURE_REGISTRIES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RegistryClient(new RegistryOptions
        {
            InsecureRegistries = insecure,
            Registries = RegistriesConf(),
            Credentials = Config(),
            CertsDirectory = Environment.GetEnvironmentVariable("STRATA_CERTS_D") is { Length: > 0 } certs ? certs : "/etc/docker/certs.d",
            UserAgent = "strata/" + typeof(RegistryOpener).Assembly.GetName().Version?.ToString(3),
        });
    }
}
