using Strata.Core;

namespace Strata.Registry.Configuration;

/// <summary>
/// The registry settings podman, buildah and skopeo read (containers-registries.conf(5), v2):
/// per name prefix, where the namespace lives, its mirrors, whether it is insecure or blocked.
/// One table applies to a name, the one whose prefix matches it longest. Pulls try the
/// matching mirrors in order, then the location; pushes and every other request go to the
/// name's own registry, as containers/image does.
/// </summary>
public sealed class RegistriesConf
{
    // The file each table came from (a drop-in's tables replace the main file's), named when it blocks a name.
    private readonly IReadOnlyList<string> _sources;

    public RegistriesConf(string path, IReadOnlyList<RegistryEntry> registries)
        : this(path, registries, [.. registries.Select(_ => path)])
    {
    }

    private RegistriesConf(string path, IReadOnlyList<RegistryEntry> registries, IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(registries);
        Path = path;
        Registries = registries;
        _sources = sources;
    }

    /// <summary>No file: every name is its own registry, nothing mirrored, insecure or blocked.</summary>
    public static RegistriesConf Empty { get; } = new("", []);

    /// <summary>The file the settings came from (named in errors).</summary>
    public string Path { get; }

    public IReadOnlyList<RegistryEntry> Registries { get; }

    /// <summary>
    /// These settings with a drop-in file's laid over them (containers-registries.conf.d(5)): a
    /// <c>[[registry]]</c> table of <paramref name="dropIn"/> replaces the one with the same
    /// prefix, other tables are added. <see cref="Path"/> stays the first file's unless there was none.
    /// </summary>
    /// <exception cref="RegistriesConfException">The merged tables disagree on a location's insecure or blocked setting.</exception>
    public RegistriesConf With(RegistriesConf dropIn)
    {
        ArgumentNullException.ThrowIfNull(dropIn);
        var registries = Registries.ToList();
        var sources = _sources.ToList();
        for (int i = 0; i < dropIn.Registries.Count; i++)
        {
            var entry = dropIn.Registries[i];
            int at = registries.FindIndex(r => r.Prefix == entry.Prefix);
            if (at < 0)
            {
                registries.Add(entry);
                sources.Add(dropIn._sources[i]);
            }
            else
            {
                registries[at] = entry;
                sources[at] = dropIn._sources[i];
            }
        }
        RegistriesConfParser.CheckConflicts(dropIn.Path, registries);
        return new RegistriesConf(Path.Length > 0 ? Path : dropIn.Path, registries, sources);
    }

    /// <summary>The table whose prefix matches <paramref name="name"/> longest, or null.</summary>
    public RegistryEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        RegistryEntry? best = null;
        int longest = 0;
        foreach (var entry in Registries)
        {
            int length = entry.MatchLength(name);
            if (length > longest)
            {
                best = entry;
                longest = length;
            }
        }
        return best;
    }

    /// <summary>
    /// Where a pull of <paramref name="reference"/> reads from, in order: the mirrors that serve
    /// this kind of reference (by tag or by digest), then the registry's location (the reference
    /// itself when no table matches).
    /// </summary>
    /// <exception cref="RegistryException">The reference's registry is blocked here.</exception>
    public IReadOnlyList<PullEndpoint> PullEndpoints(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = reference.ToString();
        var entry = Find(name);
        if (entry is null) return [new PullEndpoint(reference, false, false)];
        ThrowIfBlocked(reference, entry);
        bool byDigest = reference.Digest is not null;
        var endpoints = new List<PullEndpoint>();
        foreach (var mirror in entry.Mirrors)
        {
            var kind = entry.MirrorByDigestOnly ? PullFromMirror.DigestOnly : mirror.PullFrom;
            if ((kind == PullFromMirror.DigestOnly && !byDigest) || (kind == PullFromMirror.TagOnly && byDigest)) continue;
            endpoints.Add(new PullEndpoint(Rewrite(reference, entry, mirror.Location), mirror.Insecure, true));
        }
        endpoints.Add(new PullEndpoint(entry.IsWildcard ? reference : Rewrite(reference, entry, entry.Location), entry.Insecure, false));
        return endpoints;
    }

    /// <summary>Refuses <paramref name="reference"/> when the table for it says <c>blocked = true</c>.</summary>
    /// <exception cref="RegistryException">It is blocked: one line naming the reference and this file.</exception>
    public void ThrowIfBlocked(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (Find(reference.ToString()) is { } entry) ThrowIfBlocked(reference, entry);
    }

    /// <summary>
    /// True when <paramref name="hostAndPort"/> may be spoken to over plain http or with an
    /// unverified certificate: the table for the bare host says <c>insecure</c>, or a location or
    /// mirror on that host is marked insecure.
    /// </summary>
    public bool IsInsecure(string hostAndPort)
    {
        ArgumentNullException.ThrowIfNull(hostAndPort);
        if (Find(hostAndPort) is { Insecure: true }) return true;
        foreach (var entry in Registries)
        {
            if (entry.Insecure && !entry.IsWildcard && HostOf(entry.Location).Equals(hostAndPort, StringComparison.OrdinalIgnoreCase)) return true;
            foreach (var mirror in entry.Mirrors)
                if (mirror.Insecure && HostOf(mirror.Location).Equals(hostAndPort, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void ThrowIfBlocked(ImageReference reference, RegistryEntry entry)
    {
        if (entry.Blocked) throw new RegistryException($"{reference}: registry {entry.Prefix} is blocked in {SourceOf(entry)}");
    }

    private string SourceOf(RegistryEntry entry)
    {
        for (int i = 0; i < Registries.Count; i++)
            if (ReferenceEquals(Registries[i], entry)) return _sources[i];
        return Path;
    }

    /// <summary>The name with the matched prefix replaced by <paramref name="location"/>.</summary>
    private ImageReference Rewrite(ImageReference reference, RegistryEntry entry, string location)
    {
        var name = reference.ToString();
        int matched = entry.MatchLength(name);
        var rewritten = location + name[matched..];
        if (ImageReference.TryParse(rewritten, out var parsed)) return parsed;
        throw new RegistriesConfException($"{Path}: [[registry]] {entry.Prefix}: {reference} rewritten for {location} is not a valid reference ({rewritten})");
    }

    private static string HostOf(string location)
    {
        int slash = location.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? location : location[..slash];
    }
}
