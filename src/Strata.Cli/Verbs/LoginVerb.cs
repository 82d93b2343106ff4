using System.CommandLine;
using Strata.Core;
using Strata.Registry.Auth;
using Strata.Registry.Credentials;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata login [SERVER] [-u USER] [-p PASSWORD | --password-stdin]</c>: checks the
/// credential against the registry first (nothing is stored when it is refused), then stores it
/// as docker does, through the configured credential helper or base64 in config.json, and says
/// which. SERVER defaults to Docker Hub.
/// </summary>
internal static class LoginVerb
{
    public static Command Create(string name)
    {
        var server = new Argument<string?>("SERVER") { Arity = ArgumentArity.ZeroOrOne };
        var user = new Option<string?>("--username", "-u") { Description = "Username" };
        var password = new Option<string?>("--password", "-p") { Description = "Password (prefer --password-stdin)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Take the password from stdin" };
        var command = new Command(name, "Log in to a registry") { server, user, password, passwordStdin };
        command.SetAction(async (parse, ct) =>
        {
            var registry = RegistryName(parse.GetValue(server));
            var username = parse.GetValue(user) ?? throw new InvalidArgumentException("login needs a user name (-u USER): strata does not prompt");
            string secret;
            if (parse.GetValue(passwordStdin))
            {
                if (parse.GetValue(password) is not null) throw new InvalidArgumentException("--password and --password-stdin are mutually exclusive");
                secret = (await Console.In.ReadToEndAsync(ct).ConfigureAwait(false)).TrimEnd('\n', '\r');
            }
            else
            {
                secret = parse.GetValue(password) ?? throw new InvalidArgumentException("login needs a password: use --password-stdin");
                await Console.Error.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.").ConfigureAwait(false);
            }
            if (secret.Length == 0) throw new InvalidArgumentException("login needs a non-empty password");
            var credential = new Credential(username, secret);
            using (var client = RegistryOpener.Open())
                await client.LoginAsync(registry, credential, ct).ConfigureAwait(false);
            var config = RegistryOpener.Config();
            var helper = await config.StoreAsync(registry, credential, ct).ConfigureAwait(false);
            Console.Out.WriteLine(helper is null
                ? $"WARNING! Your credentials are stored unencrypted in '{config.Path}'."
                : $"Credentials stored by {helper}.");
            Console.Out.WriteLine("Login Succeeded");
            return 0;
        });
        return command;
    }

    /// <summary>The registry as references name it: <c>docker.io</c> by default, a typed scheme or path dropped.</summary>
    public static string RegistryName(string? typed)
    {
        if (string.IsNullOrEmpty(typed)) return ImageReference.DefaultDomain;
        var key = DockerConfig.KeyOf(typed);
        return key == DockerConfig.DockerHubKey ? ImageReference.DefaultDomain : key;
    }
}
