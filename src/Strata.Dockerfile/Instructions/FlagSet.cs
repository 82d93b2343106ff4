namespace Strata.Dockerfile.Instructions;

/// <summary>
/// The <c>--flags</c> of one instruction, checked against the flags that instruction accepts:
/// unknown flags (with a suggestion), missing values, bad booleans and repeated single flags are
/// errors, as in BuildKit's BFlags.
/// </summary>
internal sealed class FlagSet
{
    private readonly string _keyword;
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private FlagSet(string keyword) => _keyword = keyword;

    /// <summary>Parses <paramref name="flags"/> allowing only the given kinds.</summary>
    public static FlagSet Parse(string keyword, IReadOnlyList<string> flags, IReadOnlyDictionary<string, FlagKind> allowed)
    {
        var set = new FlagSet(keyword);
        foreach (var raw in flags)
        {
            if (!raw.StartsWith("--", StringComparison.Ordinal)) throw new DockerfileException($"{keyword} flag \"{raw}\" must start with '--'");
            var body = raw[2..];
            int eq = body.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? body : body[..eq];
            string? value = eq < 0 ? null : body[(eq + 1)..];
            if (!allowed.TryGetValue(name, out var kind))
            {
                var message = allowed.Count == 0
                    ? $"unknown flag: --{name} ({keyword} takes no flags)"
                    : Suggest.With($"unknown flag: --{name} for {keyword}", name, allowed.Keys, "--");
                throw new DockerfileException(message);
            }
            switch (kind)
            {
                case FlagKind.Bool:
                    if (value is null) value = "true";
                    else if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) value = "true";
                    else if (value.Equals("false", StringComparison.OrdinalIgnoreCase)) value = "false";
                    else throw new DockerfileException($"expecting boolean value for flag --{name}, not: {value}");
                    break;
                default:
                    if (value is null) throw new DockerfileException($"missing a value on flag: --{name} (use --{name}=VALUE)");
                    break;
            }
            if (!set._values.TryGetValue(name, out var list)) set._values[name] = list = [];
            else if (kind != FlagKind.List) throw new DockerfileException($"duplicate flag specified: --{name}");
            list.Add(value);
        }
        return set;
    }

    public string? String(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public bool Bool(string name) => _values.TryGetValue(name, out var v) && v[^1] == "true";

    public IReadOnlyList<string> List(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public override string ToString() => _keyword;
}
