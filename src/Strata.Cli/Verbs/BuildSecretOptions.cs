using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata build --secret</c> and <c>--ssh</c> as docker buildx spells them:
/// <c>--secret id=X,src=FILE</c>, <c>--secret id=X,env=VAR</c>, <c>type=file|env</c>,
/// <c>source=</c> for <c>src=</c>, and <c>--secret id=X</c> alone (the variable X if set, else the
/// file X); <c>--ssh default</c> ($SSH_AUTH_SOCK) or <c>--ssh ID=SOCKET</c>. Values are read here,
/// the CLI being the only place that reads the environment; errors name the source, never a value.
/// </summary>
internal static class BuildSecretOptions
{
    public static Dictionary<string, byte[]> Secrets(IEnumerable<string> specs)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            string? id = null, type = null, src = null, env = null;
            foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = field.IndexOf('=', StringComparison.Ordinal);
                var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
                var value = eq < 0 ? null : field[(eq + 1)..];
                switch (key)
                {
                    case "id": id = value; break;
                    case "type": type = value; break;
                    case "src" or "source": src = value; break;
                    case "env": env = value; break;
                    default: throw new InvalidArgumentException($"--secret {spec}: unexpected key \"{key}\" (use id, type, src or env)");
                }
            }
            if (string.IsNullOrEmpty(id)) throw new InvalidArgumentException($"--secret {spec}: an id is required (id=NAME)");
            if (type is not (null or "file" or "env")) throw new InvalidArgumentException($"--secret {spec}: unsupported type \"{type}\" (use file or env)");
            if (type == "env" && src is not null && env is null) (env, src) = (src, null);
            if (src is null && env is null)
            {
                if (type == "env" || (type is null && Environment.GetEnvironmentVariable(id) is not null)) env = id;
                else src = id;
            }
            result[id] = env is not null ? ReadEnv(id, env) : ReadFile(id, src!);
        }
        return result;
    }

    public static Dictionary<string, string> SshAgents(IEnumerable<string> specs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            int eq = spec.IndexOf('=', StringComparison.Ordinal);
            var id = eq < 0 ? spec : spec[..eq];
            if (id.Length == 0) throw new InvalidArgumentException($"--ssh {spec}: an id is required (default, or NAME=SOCKET)");
            string socket;
            if (eq >= 0)
            {
                socket = spec[(eq + 1)..];
                if (socket.Contains(',', StringComparison.Ordinal))
                    throw new InvalidArgumentException($"--ssh {spec}: only an agent socket is supported, not key files");
            }
            else
            {
                socket = Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") is { Length: > 0 } s ? s
                    : throw new InvalidArgumentException($"--ssh {spec}: SSH_AUTH_SOCK is not set (start ssh-agent or give --ssh {id}=SOCKET)");
            }
            socket = Path.GetFullPath(socket);
            if (!Core.Unix.Libc.TryLstat(socket, out var status) || (status.Mode & 0xF000) != 0xC000)
                throw new InvalidArgumentException($"--ssh {spec}: {socket} is not an SSH agent socket");
            result[id] = socket;
        }
        return result;
    }

    private static byte[] ReadEnv(string id, string variable) =>
        Environment.GetEnvironmentVariable(variable) is { } value
            ? System.Text.Encoding.UTF8.GetBytes(value)
            : throw new InvalidArgumentException($"--secret id={id}: environment variable {variable} is not set");

    private static byte[] ReadFile(string id, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException($"--secret id={id}: cannot read {path}: {ex.Message}");
        }
    }
}
