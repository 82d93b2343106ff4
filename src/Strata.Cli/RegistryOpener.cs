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
/// settings from registries.conf (<see cref="RegistriesConfPath"/>) and its drop-ins
/// (<see cref="RegistriesConfDropInDirectories"/>).
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
        if (File.Exists(UserRegistriesConf)) return UserRegistriesConf;
        return File.Exists(SystemRegistriesConf) ? SystemRegistriesConf : null;
    }

    /// <summary>
    /// The drop-in directories that apply after the main file, as containers/image chooses them
    /// (containers-registries.conf.d(5)): only the user's <c>$HOME/.config/containers/registries.conf.d</c>
    /// when the user's registries.conf is the main file, else the system's
    /// <c>/etc/containers/registries.conf.d</c> and then the user's (also when
    /// <c>CONTAINERS_REGISTRIES_CONF</c> chose the main file).
    /// </summary>
    public static IReadOnlyList<string> RegistriesConfDropInDirectories()
    {
        var user = UserRegistriesConf + ".d";
        bool userMain = Environment.GetEnvironmentVariable("CONTAINERS_REGISTRIES_CONF") is not { Length: > 0 } && File.Exists(UserRegistriesConf);
        return userMain ? [user] : [SystemRegistriesConf + ".d", user];
    }

    private const string SystemRegistriesConf = "/etc/containers/registries.conf";

    private static string UserRegistriesConf => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "containers", "registries.conf");

    private static RegistriesConf RegistriesConf() =>
        RegistriesConfFiles.Load(RegistriesConfPath(), Environment.GetEnvironmentVariable("CONTAINERS_REGISTRIES_CONF") is { Length: > 0 }, RegistriesConfDropInDirectories());

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
