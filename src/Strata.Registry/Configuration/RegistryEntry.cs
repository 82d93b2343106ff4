namespace Strata.Registry.Configuration;

/// <summary>
/// One <c>[[registry]]</c> table of registries.conf (v2). <paramref name="Prefix"/> chooses the
/// table (longest match wins; <c>*.example.com</c> matches any subdomain); <paramref name="Location"/>
/// is where the prefix's namespace really lives (the prefix itself by default);
/// <paramref name="Mirrors"/> are tried in order before it when pulling.
/// </summary>
public sealed record RegistryEntry(
    string Prefix,
    string Location,
    bool Insecure,
    bool Blocked,
    bool MirrorByDigestOnly,
    IReadOnlyList<RegistryMirror> Mirrors)
{
    /// <summary>True for a <c>*.domain</c> prefix, which matches hosts, never paths.</summary>
    public bool IsWildcard => Prefix.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// How much of <paramref name="name"/> (<c>host[:port]/path[:tag][@digest]</c>) this table's
    /// prefix matches, or -1 when it does not. A prefix matches when the name starts with it and
    /// goes on with a separator (<c>/</c>, <c>:</c>, <c>@</c>) or ends there; a wildcard prefix
    /// matches a name whose host ends with <c>.domain</c>.
    /// </summary>
    public int MatchLength(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsWildcard) return MatchesAt(name, Prefix.Length) && name.StartsWith(Prefix, StringComparison.Ordinal) ? Prefix.Length : -1;
        int hostEnd = name.IndexOfAny(['/', '@']);
        var host = hostEnd < 0 ? name : name[..hostEnd];
        // The port is not part of the host a wildcard names.
        int colon = host.LastIndexOf(':');
        var bare = colon >= 0 ? host[..colon] : host;
        var suffix = Prefix[1..];
        return bare.Length > suffix.Length && bare.EndsWith(suffix, StringComparison.Ordinal) ? host.Length : -1;
    }

    /// <summary>
    /// The name goes on with a separator after the prefix. A <c>:</c> after a bare host would
    /// begin a port, another registry (containers/image lets <c>example.com</c> match
    /// <c>example.com:5000</c> and calls that unintended), so it separates only after a path.
    /// </summary>
    private bool MatchesAt(string name, int length) =>
        name.Length == length || (name.Length > length && (name[length] is '/' or '@' || (name[length] == ':' && Prefix.Contains('/', StringComparison.Ordinal))));
}
