using Strata.Core;

namespace Strata.Build.Context;

/// <summary>
/// One <c>--build-context NAME=VALUE</c>, as BuildKit's Dockerfile frontend reads it: NAME
/// replaces what <c>FROM NAME</c>, <c>COPY --from=NAME</c> and <c>RUN --mount=from=NAME</c>
/// resolve to, overriding a stage or image of that name.
/// </summary>
/// <param name="Name">The name as given; see <see cref="Matches"/>.</param>
/// <param name="Kind">Directory, image, OCI layout or git repository.</param>
/// <param name="Value">The directory's absolute path; the image reference; the layout directory; the git URL (the checkout's path once the build has checked it out).</param>
/// <param name="Flag">The flag value as given, for messages.</param>
public sealed record NamedContext(string Name, NamedContextKind Kind, string Value, string Flag)
{
    private const string ImageScheme = "docker-image://";
    private const string OciLayoutScheme = "oci-layout://";

    /// <summary>For <see cref="NamedContextKind.OciLayout"/>: the image's tag in the layout (<c>latest</c> when neither is given) or its digest.</summary>
    public string? LayoutReference { get; init; }

    /// <summary>PATH[:TAG|@DIGEST]: a tag is after the last colon of the last path component; the path is relative to the current directory.</summary>
    private static NamedContext ParseOciLayout(string name, string spec, string flag, string currentDirectory)
    {
        string path = spec, reference = "latest";
        int at = spec.LastIndexOf('@');
        int colon = spec.LastIndexOf(':');
        if (at > 0)
        {
            (path, reference) = (spec[..at], spec[(at + 1)..]);
            if (!Digest.TryParse(reference, out _)) throw new InvalidArgumentException($"--build-context \"{flag}\": \"{reference}\" is not a digest");
        }
        else if (colon > spec.LastIndexOf('/') && colon > 0)
        {
            (path, reference) = (spec[..colon], spec[(colon + 1)..]);
        }
        if (path.Length == 0 || reference.Length == 0) throw new InvalidArgumentException($"--build-context \"{flag}\": want oci-layout://PATH[:TAG|@DIGEST]");
        var full = Path.GetFullPath(path, currentDirectory);
        if (!File.Exists(Path.Combine(full, "index.json"))) throw new NotFoundException($"--build-context \"{flag}\": {full} is not an OCI layout (no index.json)");
        return new NamedContext(name, NamedContextKind.OciLayout, full, flag) { LayoutReference = reference };
    }

    /// <summary>
    /// Whether <paramref name="reference"/> (a FROM base, a --from value, a stage name) is this
    /// context's name. As BuildKit normalises both, <c>busybox</c>, <c>busybox:latest</c> and
    /// <c>docker.io/library/busybox</c> are one name; case does not matter (stage names).
    /// </summary>
    public bool Matches(string? reference) => reference is not null && Normalize(reference) == Normalize(Name);

    private static string Normalize(string name)
    {
        var n = name.ToLowerInvariant();
        if (n.StartsWith("docker.io/library/", StringComparison.Ordinal)) n = n["docker.io/library/".Length..];
        else if (n.StartsWith("docker.io/", StringComparison.Ordinal)) n = n["docker.io/".Length..];
        return n.EndsWith(":latest", StringComparison.Ordinal) ? n[..^":latest".Length] : n;
    }

    /// <summary>
    /// Parses one flag value. A value with no scheme is a directory, relative to
    /// <paramref name="currentDirectory"/>; it must exist. Other schemes (an http(s) tarball,
    /// anything unknown) are refused by name rather than read as a path.
    /// </summary>
    /// <exception cref="InvalidArgumentException">No <c>=</c>, an empty name or value, an unsupported scheme.</exception>
    /// <exception cref="NotFoundException">The directory does not exist.</exception>
    public static NamedContext Parse(string flag, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(flag);
        int eq = flag.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == flag.Length - 1) throw new InvalidArgumentException($"--build-context \"{flag}\": want NAME=VALUE (a directory, docker-image://REF or oci-layout://PATH)");
        var name = flag[..eq];
        var value = flag[(eq + 1)..];
        // scratch is the empty image whatever the flags say (and a directory context is built FROM scratch).
        if (string.Equals(name, "scratch", StringComparison.OrdinalIgnoreCase))
            throw new InvalidArgumentException($"--build-context \"{flag}\": \"scratch\" is reserved for the empty image");
        if (name.Any(char.IsWhiteSpace))
            throw new InvalidArgumentException($"--build-context \"{flag}\": invalid name \"{name}\"");
        if (value.StartsWith(ImageScheme, StringComparison.Ordinal))
        {
            var reference = value[ImageScheme.Length..];
            if (reference.Length == 0) throw new InvalidArgumentException($"--build-context \"{flag}\": docker-image:// needs an image reference");
            return new NamedContext(name, NamedContextKind.Image, reference, flag);
        }
        if (value.StartsWith(OciLayoutScheme, StringComparison.Ordinal)) return ParseOciLayout(name, value[OciLayoutScheme.Length..], flag, currentDirectory);
        if (FileOps.GitReference.IsGitSource(value))
        {
            try
            {
                FileOps.GitReference.Parse(value); // a malformed fragment or query fails now, naming it
            }
            catch (InvalidArgumentException ex)
            {
                throw new InvalidArgumentException($"--build-context \"{flag}\": {ex.Message}", ex);
            }
            return new NamedContext(name, NamedContextKind.Git, value, flag);
        }
        // A scheme (letters then "://") or git@host: a remote source strata does not fetch here.
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        if ((scheme > 0 && value[..scheme].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.')) || value.StartsWith("git@", StringComparison.Ordinal))
        {
            var what = value.StartsWith("git@", StringComparison.Ordinal) ? "git" : value[..scheme];
            throw new InvalidArgumentException($"--build-context \"{flag}\": {what} contexts are not supported; use a local directory, docker-image://REF, oci-layout://PATH[:TAG|@DIGEST] or a git URL");
        }
        var path = Path.GetFullPath(value, currentDirectory);
        if (!Directory.Exists(path)) throw new NotFoundException($"--build-context \"{flag}\": directory {path} not found");
        return new NamedContext(name, NamedContextKind.Directory, path, flag);
    }
}
