using Strata.Core;

namespace Strata.Build.FileOps;

/// <summary>
/// An ADD source naming a git repository, in BuildKit's forms: <c>git@host:path</c>,
/// <c>git://host/path</c> or an http(s) URL whose path ends in <c>.git</c>, followed by an
/// optional fragment <c>#REF</c> or <c>#REF:SUBDIR</c>, or by the query form
/// <c>?ref=REF&amp;subdir=SUBDIR</c> (<c>branch=</c> and <c>tag=</c> name the ref too). No ref
/// means the remote's HEAD; no subdir means the whole tree.
/// </summary>
/// <param name="Source">The source as written in the Dockerfile (what errors name).</param>
/// <param name="Remote">The URL git fetches from, without fragment or query.</param>
/// <param name="Ref">A branch, tag, full ref name or commit hash; null for the remote's HEAD.</param>
/// <param name="Subdir">The directory of the tree to add, relative; null for the root.</param>
public sealed record GitReference(string Source, string Remote, string? Ref, string? Subdir)
{
    private static readonly string[] QueryKeys = ["ref", "branch", "tag", "subdir"];

    /// <summary>The ref as errors print it.</summary>
    public string RefName => Ref ?? "HEAD";

    public static bool IsGitSource(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.Ordinal)) return true;
        if (!HttpSource.IsUrl(source)) return false;
        int end = source.IndexOfAny(['#', '?']);
        return (end < 0 ? source : source[..end]).TrimEnd('/').EndsWith(".git", StringComparison.Ordinal);
    }

    /// <summary>Splits <paramref name="source"/> into remote, ref and subdir; one-line error on a malformed fragment or query.</summary>
    public static GitReference Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string remote = source;
        string? reference = null, subdir = null;
        int hash = remote.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            var fragment = remote[(hash + 1)..];
            remote = remote[..hash];
            int colon = fragment.IndexOf(':', StringComparison.Ordinal);
            reference = colon < 0 ? fragment : fragment[..colon];
            subdir = colon < 0 ? null : fragment[(colon + 1)..];
        }
        int question = remote.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            if (hash >= 0) throw new InvalidArgumentException($"git source {source} gives both a #fragment and a ?query: use one");
            foreach (var pair in remote[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                var key = parts[0];
                var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
                if (!QueryKeys.Contains(key, StringComparer.Ordinal))
                    throw new InvalidArgumentException($"git source {source} has an unknown query key \"{key}\" (known: {string.Join(", ", QueryKeys)})");
                if (key == "subdir") subdir = value;
                else if (reference is not null && reference != value) throw new InvalidArgumentException($"git source {source} names two different refs");
                else reference = value;
            }
            remote = remote[..question];
        }
        if (reference is { Length: 0 }) reference = null;
        if (reference is not null && (reference.StartsWith('-') || reference.Any(char.IsWhiteSpace)))
            throw new InvalidArgumentException($"git source {source} has an invalid ref \"{reference}\"");
        subdir = subdir?.Trim('/');
        if (subdir is { Length: 0 } or ".") subdir = null;
        if (subdir is not null && subdir.Split('/').Contains(".."))
            throw new InvalidArgumentException($"git source {source} has a subdir leaving the repository: {subdir}");
        return new GitReference(source, remote, reference, subdir);
    }
}
