using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// The variables visible inside one stage: its ENV (ordered, as the image config keeps it) and
/// its declared ARGs, merged so that ENV always wins over an ARG of the same name.
/// </summary>
internal sealed class StageScope
{
    private readonly Dictionary<string, string> _merged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _args = new(StringComparer.Ordinal);
    private readonly List<KeyValue> _env = [];

    public StageScope(IEnumerable<KeyValue> inherited)
    {
        foreach (var kv in inherited) SetEnv(kv.Key, kv.Value);
    }

    public IReadOnlyDictionary<string, string> Merged => _merged;

    public bool IsDeclaredArg(string name) => _args.ContainsKey(name);

    public IReadOnlyList<KeyValue> Env => _env;

    public void SetEnv(string key, string value)
    {
        int i = _env.FindIndex(e => e.Key == key);
        if (i >= 0) _env[i] = new KeyValue(key, value);
        else _env.Add(new KeyValue(key, value));
        _merged[key] = value;
    }

    /// <summary>Declares an ARG; a null value declares it without a value (it stays unset).</summary>
    public void SetArg(string key, string? value)
    {
        _args[key] = value;
        if (_env.Exists(e => e.Key == key)) return;
        if (value is null) _merged.Remove(key);
        else _merged[key] = value;
    }
}
