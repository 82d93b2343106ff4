using System.Text.RegularExpressions;

namespace Strata.Core;

/// <summary>
/// A normalized image reference as docker understands it: <c>busybox</c> means
/// <c>docker.io/library/busybox:latest</c>. <see cref="Familiar"/> gives the short form docker
/// prints. A reference carries a tag, a digest, or both.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";

    private ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host (and port), e.g. <c>docker.io</c> or <c>localhost:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>Repository path inside the registry, e.g. <c>library/busybox</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary><c>domain/path</c>, the repository's full name.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>The repository as docker prints it (<c>busybox</c>, <c>me/app</c>, <c>localhost:5000/app</c>).</summary>
    public string FamiliarRepository =>
        Domain != DefaultDomain ? Repository
        : Path.StartsWith("library/", StringComparison.Ordinal) && Path.IndexOf('/', 8) < 0 ? Path[8..]
        : Path;

    /// <summary>Short form with tag and digest, as docker prints it.</summary>
    public string Familiar => FamiliarRepository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Full form with tag and digest.</summary>
    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>This reference with <paramref name="tag"/> in place of its tag and no digest.</summary>
    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag)) throw new InvalidArgumentException($"invalid tag \"{tag}\"");
        return new ImageReference(Domain, Path, tag, null);
    }

    /// <summary>This reference with <paramref name="digest"/> and no tag.</summary>
    public ImageReference WithDigest(Digest digest) => new(Domain, Path, null, digest);

    /// <summary>Parses and normalizes; adds <c>:latest</c> when neither tag nor digest is given.</summary>
    public static ImageReference Parse(string text)
    {
        if (!TryParse(text, out var reference, out var error))
            throw new InvalidArgumentException($"invalid reference format \"{text}\": {error}");
        return reference;
    }

    public static bool TryParse(string? text, out ImageReference reference) => TryParse(text, out reference, out _);

    private static bool TryParse(string? text, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "empty"; return false; }
        if (text.Length > 4096) { error = "too long"; return false; }

        string rest = text;
        Digest? digest = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Core.Digest.TryParse(rest[(at + 1)..], out var d) || !d.IsRegistered) { error = "bad digest"; return false; }
            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        int lastSlash = rest.LastIndexOf('/');
        int colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag)) { error = "bad tag"; return false; }
        }

        string domain = DefaultDomain;
        string path = rest;
        int firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsAsciiLetterUpper))
            {
                domain = first;
                path = rest[(firstSlash + 1)..];
                if (!DomainPattern().IsMatch(domain)) { error = "bad registry host"; return false; }
            }
        }
        if (domain == "index.docker.io") domain = DefaultDomain;
        if (path.Any(char.IsAsciiLetterUpper)) { error = "repository name must be lowercase"; return false; }
        foreach (var component in path.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component)) { error = $"bad path component \"{component}\""; return false; }
        }
        if (domain == DefaultDomain && !path.Contains('/', StringComparison.Ordinal)) path = "library/" + path;
        if (domain.Length + 1 + path.Length > 255) { error = "repository name too long"; return false; }
        if (tag is null && digest is null) tag = DefaultTag;
        reference = new ImageReference(domain, path, tag, digest);
        return true;
    }

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
