using System.Globalization;
using System.Text;
using Strata.Core;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// Parses the CSV value of <c>RUN --mount</c> (<c>type=cache,target=/root/.cache,sharing=locked</c>)
/// into a <see cref="RunMount"/>, applying BuildKit's defaults and rejecting options that do not
/// belong to the mount type. Values may be expanded first (build args are allowed in mounts).
/// </summary>
internal static class MountParser
{
    private static readonly string[] Keys =
    [
        "type", "target", "dst", "destination", "source", "src", "from", "readonly", "ro", "readwrite", "rw",
        "id", "sharing", "mode", "uid", "gid", "required", "env", "size",
    ];

    public static RunMount Parse(string spec, Func<string, string>? expand, int sshIndex)
    {
        var fields = SplitCsv(spec);
        var type = MountType.Bind;
        // type= may come anywhere; find it first so the other keys can be checked against it.
        foreach (var f in fields)
        {
            var (k, v) = KeyValue(f);
            if (k == "type")
            {
                var t = Expand(v ?? "", expand).ToLowerInvariant();
                type = t switch
                {
                    "bind" => MountType.Bind,
                    "cache" => MountType.Cache,
                    "tmpfs" => MountType.Tmpfs,
                    "secret" => MountType.Secret,
                    "ssh" => MountType.Ssh,
                    _ => throw new DockerfileException(Suggest.With($"unsupported mount type \"{t}\" in --mount={spec}", t, ["bind", "cache", "tmpfs", "secret", "ssh"])),
                };
            }
        }
        var m = new RunMount { Type = type, Spec = spec, ReadOnly = type is MountType.Bind or MountType.Secret or MountType.Ssh };
        bool? ro = null;
        foreach (var f in fields)
        {
            var (key, raw) = KeyValue(f);
            if (key == "type") continue;
            var value = raw is null ? null : Expand(raw, expand);
            string Need() => value ?? throw new DockerfileException($"mount option \"{key}\" needs a value in --mount={spec}");
            void Only(params MountType[] types)
            {
                if (Array.IndexOf(types, type) < 0)
                    throw new DockerfileException($"mount option \"{key}\" is not valid for type={type.ToString().ToLowerInvariant()} in --mount={spec}");
            }
            switch (key)
            {
                case "target" or "dst" or "destination":
                    m = m with { Target = Need() };
                    break;
                case "source" or "src":
                    m = m with { Source = Need() };
                    break;
                case "from":
                    if (type == MountType.Secret) throw new DockerfileException($"secret mount should not have a from (--mount={spec})");
                    // BuildKit resolves from= before build args are known, so it cannot be a variable.
                    if (expand is null && raw is not null && DollarFollowedByAnything(raw))
                        throw new DockerfileException($"'from' doesn't support variable expansion, define alias stage instead (--mount={spec})");
                    m = m with { From = Need() };
                    break;
                case "readonly" or "ro":
                    ro = ParseBool(key, value, spec);
                    break;
                case "readwrite" or "rw":
                    ro = !ParseBool(key, value, spec);
                    break;
                case "id":
                    m = m with { Id = Need() };
                    break;
                case "sharing":
                    Only(MountType.Cache);
                    m = m with
                    {
                        Sharing = Need().ToLowerInvariant() switch
                        {
                            "shared" => CacheSharing.Shared,
                            "private" => CacheSharing.Private,
                            "locked" => CacheSharing.Locked,
                            _ => throw new DockerfileException($"unsupported sharing value \"{value}\" in --mount={spec} (use shared, private or locked)"),
                        },
                    };
                    break;
                case "mode":
                    Only(MountType.Cache, MountType.Secret, MountType.Ssh);
                    m = m with { Mode = ParseOctal(Need(), spec) };
                    break;
                case "uid":
                    Only(MountType.Cache, MountType.Secret, MountType.Ssh);
                    m = m with { Uid = ParseId(key, Need(), spec) };
                    break;
                case "gid":
                    Only(MountType.Cache, MountType.Secret, MountType.Ssh);
                    m = m with { Gid = ParseId(key, Need(), spec) };
                    break;
                case "required":
                    Only(MountType.Secret, MountType.Ssh);
                    m = m with { Required = ParseBool(key, value, spec) };
                    break;
                case "env":
                    Only(MountType.Secret);
                    m = m with { Env = Need() };
                    break;
                case "size":
                    Only(MountType.Tmpfs);
                    m = m with { Size = ParseSize(Need(), spec) };
                    break;
                default:
                    throw new DockerfileException(Suggest.With($"unexpected key '{key}' in --mount={spec}", key, Keys));
            }
        }
        if (ro is { } r) m = m with { ReadOnly = r };
        switch (type)
        {
            case MountType.Bind or MountType.Cache or MountType.Tmpfs when string.IsNullOrEmpty(m.Target):
                throw new DockerfileException($"--mount={spec}: type={type.ToString().ToLowerInvariant()} requires a target");
            case MountType.Cache when m.Id is null:
                m = m with { Id = m.Target };
                break;
            case MountType.Secret:
                if (m.Source is not null && m.Id is not null) throw new DockerfileException($"--mount={spec}: both source and id can't be set on a secret mount");
                if (m.Id is null && m.Source is null && m.Target is null && m.Env is null) throw new DockerfileException($"--mount={spec}: a secret mount needs id, source, target or env");
                // source= is the older spelling of the secret's id.
                if (m.Id is null) m = m with { Id = m.Source ?? (m.Target is not null ? BaseName(m.Target) : m.Env) };
                if (m.Target is null && m.Env is null) m = m with { Target = "/run/secrets/" + m.Id };
                break;
            case MountType.Ssh:
                m = m with { Id = m.Id ?? "default", Target = m.Target ?? "/run/buildkit/ssh_agent." + sshIndex.ToString(CultureInfo.InvariantCulture) };
                break;
        }
        return m;
    }

    private static bool DollarFollowedByAnything(string value)
    {
        int i = value.IndexOf('$', StringComparison.Ordinal);
        return i >= 0 && i + 1 < value.Length;
    }

    private static string BaseName(string path)
    {
        var trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private static string Expand(string value, Func<string, string>? expand) => expand is null ? value : expand(value);

    private static (string Key, string? Value) KeyValue(string field)
    {
        int eq = field.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (field.Trim().ToLowerInvariant(), null) : (field[..eq].Trim().ToLowerInvariant(), field[(eq + 1)..]);
    }

    private static bool ParseBool(string key, string? value, string spec)
    {
        if (value is null) return true;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1") return true;
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0") return false;
        throw new DockerfileException($"invalid boolean \"{value}\" for mount option \"{key}\" in --mount={spec}");
    }

    private static int ParseOctal(string value, string spec)
    {
        if (value.Length == 0 || value.Length > 11 || value.Any(c => c is < '0' or > '7'))
            throw new DockerfileException($"invalid mode \"{value}\" in --mount={spec}: expected an octal number such as 0644");
        var mode = Convert.ToInt64(value, 8);
        if (mode > 0xFFFFFFFF) throw new DockerfileException($"invalid mode \"{value}\" in --mount={spec}: out of range");
        return (int)mode;
    }

    private static int ParseId(string key, string value, string spec)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new DockerfileException($"invalid {key} \"{value}\" in --mount={spec}: expected a non-negative number");
        return id;
    }

    /// <summary>docker's RAMInBytes (<see cref="ByteSize"/>).</summary>
    internal static long ParseSize(string value, string spec) =>
        ByteSize.TryParse(value, out var bytes) ? bytes : throw new DockerfileException($"invalid size \"{value}\" in --mount={spec}");

    /// <summary>Go's encoding/csv for one record: commas separate, double quotes group (and "" is a quote).</summary>
    internal static List<string> SplitCsv(string spec)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool inQuotes = false;
        for (int i = 0; i < spec.Length; i++)
        {
            char c = spec[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < spec.Length && spec[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else if (c == '"' && sb.Length == 0)
            {
                inQuotes = true;
            }
            else
            {
                sb.Append(c);
            }
        }
        if (inQuotes) throw new DockerfileException($"unterminated quote in --mount={spec}");
        fields.Add(sb.ToString());
        fields.RemoveAll(f => f.Length == 0);
        return fields;
    }
}
