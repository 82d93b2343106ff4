using System.Collections.Concurrent;
using System.Security.Cryptography;
using Strata.Build.Context;
using Strata.Build.FileOps;
using Strata.Core.Unix;
using Strata.Rootfs;

namespace Strata.Build.Cache;

/// <summary>
/// Checksums exactly what a COPY or ADD selects: the same wildcard expansion, .dockerignore and
/// --exclude rules as <see cref="FileCopier"/>, each entry with its type, mode, size, content
/// hash and symlink target. Files the stat index vouches for are not read; the rest are hashed
/// in parallel.
/// </summary>
internal static class SourceHasher
{
    /// <param name="withOwners">Record uid/gid (for a stage or image source, whose owners COPY keeps).</param>
    /// <param name="index">Stat index of <paramref name="root"/>, or null to hash every file.</param>
    public static Task<List<SourceFile>> HashAsync(string root, PatternMatcher? ignore, IReadOnlyList<string> sources, IReadOnlyList<string> excludes,
        bool withOwners, StatIndex? index, CancellationToken cancellationToken) =>
        HashCoreAsync(root, ignore, sources, excludes, withOwners, index is null ? null : Task.FromResult(index), cancellationToken);

    /// <summary>As <see cref="HashAsync"/>, with the stat index still loading: the walk (lstat of
    /// every selected entry) runs meanwhile, and the index is awaited only to look entries up.</summary>
    public static Task<List<SourceFile>> HashLoadingIndexAsync(string root, PatternMatcher? ignore, IReadOnlyList<string> sources, IReadOnlyList<string> excludes,
        bool withOwners, Task<StatIndex> indexLoad, CancellationToken cancellationToken) =>
        HashCoreAsync(root, ignore, sources, excludes, withOwners, indexLoad, cancellationToken);

    private static async Task<List<SourceFile>> HashCoreAsync(string root, PatternMatcher? ignore, IReadOnlyList<string> sources, IReadOnlyList<string> excludes,
        bool withOwners, Task<StatIndex>? indexLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var excluded = excludes is { Count: > 0 } ? new PatternMatcher(excludes) : null;
        var found = new Dictionary<string, (string Full, FileStatus Status)>(StringComparer.Ordinal);
        foreach (var raw in sources)
        {
            var clean = GoPath.Clean("/" + raw).TrimStart('/');
            var matches = new List<(string Rel, string Full)>();
            if (SourceGlob.HasWildcards(clean)) Glob(root, "", clean.Split('/'), 0, ignore, matches);
            else
            {
                var full = clean.Length == 0 ? root : ScopedPath.Resolve(root, clean);
                if (Libc.TryLstat(full, out _) && !Ignored(ignore, clean)) matches.Add((clean, full));
            }
            // A source matching nothing selects nothing here; the copy itself reports the error.
            foreach (var (rel, full) in matches)
            {
                var status = Libc.Lstat(full);
                found[rel] = (full, status);
                if (status.IsDirectory) Walk(full, rel, "", ignore, excluded, found, false, false);
            }
        }

        var index = indexLoad is null ? null : await indexLoad.ConfigureAwait(false);
        var result = new SourceFile[found.Count];
        var toHash = new ConcurrentBag<(int Slot, string Rel, string Full, FileStatus Status)>();
        int i = 0;
        foreach (var (rel, (full, status)) in found.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string type = status.IsRegular ? "file" : status.IsDirectory ? "dir" : status.IsSymlink ? "symlink" : "other";
            string? link = status.IsSymlink ? new FileInfo(full).LinkTarget : null;
            string? sha = status.IsRegular ? index?.TryGet(rel, status) : null;
            if (status.IsRegular && sha is null) toHash.Add((i, rel, full, status));
            result[i++] = new SourceFile(rel, type, status.Permissions, withOwners ? status.Uid : 0, withOwners ? status.Gid : 0,
                status.IsRegular ? status.Size : 0, sha, link);
        }
        await Parallel.ForEachAsync(toHash, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var sha = await HashFileAsync(item.Full, ct).ConfigureAwait(false);
            // The entry is remembered with the stat taken before reading: a write during the
            // read changes mtime/ctime, so the next build hashes the file again.
            index?.Put(item.Rel, item.Status, sha);
            result[item.Slot] = result[item.Slot] with { Sha256 = sha };
        }).ConfigureAwait(false);
        return [.. result];
    }

    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }

    /// <param name="within">Path relative to the copied source: --exclude patterns match it, as BuildKit's copier does.</param>
    /// <param name="parentIgnored">Whether <paramref name="dir"/> itself is ignored (.dockerignore), <paramref name="parentExcluded"/> excluded (--exclude): see <see cref="PatternMatcher.MatchesInWalk"/>.</param>
    private static void Walk(string dir, string relative, string within, PatternMatcher? ignore, PatternMatcher? excludes, Dictionary<string, (string, FileStatus)> found,
        bool parentIgnored, bool parentExcluded)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            var rel = relative.Length == 0 ? name : relative + "/" + name;
            var inner = excludes is null ? "" : within.Length == 0 ? name : within + "/" + name;
            var status = Libc.Lstat(entry);
            bool isIgnored = ignore is not null && ignore.MatchesInWalk(rel, parentIgnored);
            bool isExcluded = excludes is not null && excludes.MatchesInWalk(inner, parentExcluded);
            bool ignored = isIgnored || isExcluded;
            // As FileCopier: an ignored directory is still entered when a later "!" pattern may re-include something under it.
            if (ignored && !(status.IsDirectory && ((ignore?.HasExclusions ?? false) || (excludes?.HasExclusions ?? false)))) continue;
            if (!ignored) found[rel] = (entry, status);
            if (status.IsDirectory) Walk(entry, rel, inner, ignore, excludes, found, isIgnored, isExcluded);
        }
    }

    private static void Glob(string root, string prefix, string[] parts, int index, PatternMatcher? ignore, List<(string, string)> matches)
    {
        var dir = prefix.Length == 0 ? root : Path.Combine(root, prefix);
        if (!Directory.Exists(dir)) return;
        var part = parts[index];
        var regex = SourceGlob.HasWildcards(part) ? SourceGlob.Compile(part) : null;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            if (regex is null ? name != part : !regex.IsMatch(name)) continue;
            var rel = prefix.Length == 0 ? name : prefix + "/" + name;
            if (Ignored(ignore, rel)) continue;
            if (index == parts.Length - 1) matches.Add((rel, entry));
            else if (Libc.TryLstat(entry, out var s) && s.IsDirectory) Glob(root, rel, parts, index + 1, ignore, matches);
        }
    }

    private static bool Ignored(PatternMatcher? ignore, string relative) =>
        ignore is not null && relative.Length > 0 && ignore.MatchesOrParentMatches(relative);
}
