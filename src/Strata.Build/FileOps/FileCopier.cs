using Strata.Archive;
using Strata.Build.Context;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Rootfs;

namespace Strata.Build.FileOps;

/// <summary>
/// Executes COPY and ADD into a target root filesystem with Docker's rules: wildcards, a
/// directory source copies its contents, a destination ending in <c>/</c> (or several sources)
/// is a directory, missing parent directories are created, owners are root unless
/// <c>--chown</c>, modes kept unless <c>--chmod</c>, symlinks inside copied trees stay links,
/// hard links stay linked. Sources outside the source root and writes outside the target root
/// are impossible: every path is resolved in scope.
/// </summary>
public static class FileCopier
{
    public static async Task<int> CopyAsync(CopyRequest request, string targetRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sources = ResolveSources(request);
        var destination = request.Destination.StartsWith('/') ? request.Destination : CombineUnix(request.WorkingDir, request.Destination);
        bool destIsDir = request.Destination.EndsWith('/') || request.Destination == "." || request.Destination.EndsWith("/.", StringComparison.Ordinal)
            || sources.Count > 1 || request.Parents
            || (Libc.TryLstat(ScopedPath.Resolve(targetRoot, destination), out var existing) && existing.IsDirectory)
            || (sources.Count == 1 && IsDirectory(sources[0].Full));
        var excludes = request.Excludes.Count > 0 ? new PatternMatcher(request.Excludes) : null;
        int copied = 0;
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Hard links are kept within one source (a copied tree), not across sources: BuildKit
            // runs one copy per source (and per wildcard match), each with its own link table,
            // so COPY a b /d/ of two linked files gives two independent files.
            var links = new Dictionary<(long, long), string>();
            var status = Libc.Lstat(source.Full);
            string destPath = destination;
            if (request.Parents)
            {
                var parent = Path.GetDirectoryName(source.Relative.Replace('/', Path.DirectorySeparatorChar))?.Replace(Path.DirectorySeparatorChar, '/') ?? "";
                destPath = CombineUnix(destination, parent);
            }
            if (status.IsDirectory)
            {
                var dir = EnsureDirectory(targetRoot, request.Parents ? CombineUnix(destPath, Path.GetFileName(source.Relative)) : destPath, request, status);
                // One batch per source: a later source may overwrite what an earlier one wrote.
                var deferred = new DeferredCopies(request.Copied);
                copied += await CopyTreeAsync(source.Full, source.Relative, "", dir, targetRoot, request, excludes, links, false, false, false, deferred, cancellationToken).ConfigureAwait(false);
                deferred.Run(cancellationToken);
                continue;
            }
            if (request.ExtractArchives && await IsArchiveAsync(source.Full, cancellationToken).ConfigureAwait(false))
            {
                var dir = EnsureDirectory(targetRoot, destPath, request, null);
                await ExtractAsync(source.Full, dir, request, cancellationToken).ConfigureAwait(false);
                copied++;
                continue;
            }
            var target = destIsDir ? CombineUnix(destPath, Path.GetFileName(source.Full)) : destPath;
            var parentDir = EnsureDirectory(targetRoot, ParentOf(target), request, null);
            CopyEntry(source.Full, status, Path.Combine(parentDir, Path.GetFileName(target)), request, links);
            copied++;
        }
        return copied;
    }

    private static bool IsDirectory(string path) => Libc.TryLstat(path, out var s) && s.IsDirectory;

    private sealed record Source(string Relative, string Full);

    /// <summary>Expands wildcards against the source root, honouring .dockerignore; a source that matches nothing is an error.</summary>
    private static List<Source> ResolveSources(CopyRequest request)
    {
        var result = new List<Source>();
        foreach (var raw in request.Sources)
        {
            var clean = GoPath.Clean("/" + raw).TrimStart('/');
            var matches = new List<Source>();
            if (SourceGlob.HasWildcards(clean)) Glob(request.SourceRoot, "", clean.Split('/'), 0, request.Ignore, matches);
            else
            {
                // Top-level sources follow symlinks (in scope), as BuildKit's COPY does.
                var full = clean.Length == 0 ? request.SourceRoot : ScopedPath.Resolve(request.SourceRoot, clean);
                if (Libc.TryLstat(full, out _) && !Ignored(request.Ignore, clean)) matches.Add(new Source(clean, full));
            }
            if (matches.Count == 0)
                throw new NotFoundException($"{request.Keyword} failed: \"/{clean}\": not found{(request.Ignore is not null ? " in the build context (or excluded by .dockerignore)" : "")}");
            result.AddRange(matches.OrderBy(m => m.Relative, StringComparer.Ordinal));
        }
        return result;
    }

    private static void Glob(string root, string prefix, string[] parts, int index, PatternMatcher? ignore, List<Source> matches)
    {
        var dir = prefix.Length == 0 ? root : Path.Combine(root, prefix);
        if (!Directory.Exists(dir)) return;
        var part = parts[index];
        var regex = SourceGlob.HasWildcards(part) ? SourceGlob.Compile(part) : null;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (regex is null ? name != part : !regex.IsMatch(name)) continue;
            var rel = prefix.Length == 0 ? name : prefix + "/" + name;
            if (Ignored(ignore, rel)) continue;
            if (index == parts.Length - 1) matches.Add(new Source(rel, entry));
            else if (IsDirectory(entry)) Glob(root, rel, parts, index + 1, ignore, matches);
        }
    }

    private static bool Ignored(PatternMatcher? ignore, string relative) =>
        ignore is not null && relative.Length > 0 && ignore.MatchesOrParentMatches(relative);

    /// <param name="within">Path relative to the copied source: --exclude patterns match it (BuildKit's copier matches each source's own components).</param>
    /// <param name="parentIgnored">Whether <paramref name="sourceDir"/> is ignored (.dockerignore), <paramref name="parentExcluded"/> excluded (--exclude): see <see cref="PatternMatcher.MatchesInWalk"/>.</param>
    /// <param name="targetCreated">This copy just made <paramref name="targetDir"/>: nothing in it can be in the way.</param>
    private static async Task<int> CopyTreeAsync(string sourceDir, string relative, string within, string targetDir, string targetRoot, CopyRequest request,
        PatternMatcher? excludes, Dictionary<(long, long), string> links, bool parentIgnored, bool parentExcluded, bool targetCreated, DeferredCopies deferred,
        CancellationToken cancellationToken)
    {
        int copied = 0;
        bool targetExists = targetCreated;
        foreach (var entry in Directory.EnumerateFileSystemEntries(sourceDir).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            var rel = relative.Length == 0 ? name : relative + "/" + name;
            var inner = within.Length == 0 ? name : within + "/" + name;
            var status = Libc.Lstat(entry);
            bool isIgnored = request.Ignore is not null && request.Ignore.MatchesInWalk(rel, parentIgnored);
            bool isExcluded = excludes is not null && excludes.MatchesInWalk(inner, parentExcluded);
            bool ignored = isIgnored || isExcluded;
            if (ignored && !(status.IsDirectory && ((request.Ignore?.HasExclusions ?? false) || (excludes?.HasExclusions ?? false)))) continue;
            var dest = Path.Combine(targetDir, name);
            if (status.IsDirectory)
            {
                bool created = !ignored && PrepareDirectory(dest);
                copied += await CopyTreeAsync(entry, rel, inner, dest, targetRoot, request, excludes, links, isIgnored, isExcluded, created, deferred, cancellationToken).ConfigureAwait(false);
                if (!ignored)
                {
                    var dirStatus = status;
                    deferred.AddDirectory(() => FinishDirectory(dest, dirStatus, request));
                }
                continue;
            }
            if (ignored) continue;
            if (!targetExists && !Directory.Exists(targetDir)) EnsureDirectory(targetRoot, "/" + Path.GetRelativePath(targetRoot, targetDir).Replace(Path.DirectorySeparatorChar, '/'), request, null);
            targetExists = true;
            CopyEntry(entry, status, dest, request, links, mayExist: !targetCreated, deferred);
            copied++;
        }
        return copied;
    }

    /// <returns>Whether the directory was created (it did not exist).</returns>
    private static bool PrepareDirectory(string dest)
    {
        // A file or symlink in the way is replaced; a symlink is never followed out of the target.
        if (Libc.TryLstat(dest, out var existing))
        {
            if (existing.IsDirectory) return false;
            File.Delete(dest);
        }
        Directory.CreateDirectory(dest);
        return true;
    }

    // Directory metadata is set after its contents, so a read-only source directory still receives them.
    private static void FinishDirectory(string dest, FileStatus status, CopyRequest request)
    {
        var (uid, gid) = OwnerOf(status, request);
        Libc.Lchown(dest, (int)uid, (int)gid);
        var mode = request.Chmod is null ? status.Permissions : ModeSpec.Apply(request.Chmod, status.Permissions, true);
        Libc.Chmod(dest, mode);
        Libc.Lutimes(dest, status.MtimeSeconds, status.MtimeNanoseconds);
    }

    /// <param name="deferred">Where a plain regular file is queued instead of copied now (null: copy now).</param>
    private static void CopyEntry(string source, FileStatus status, string dest, CopyRequest request, Dictionary<(long, long), string> links, bool mayExist = true,
        DeferredCopies? deferred = null)
    {
        if (mayExist && Libc.TryLstat(dest, out var existing))
        {
            if (existing.IsDirectory) throw new InvalidArgumentException($"{request.Keyword} failed: cannot replace directory {dest} with a file");
            File.Delete(dest);
        }
        var (uid, gid) = OwnerOf(status, request);
        if (status.LinkCount > 1 && !status.IsDirectory && links.TryGetValue((status.DeviceMajor << 32 | status.DeviceMinor, status.Inode), out var first))
        {
            Libc.Link(first, dest);
            return;
        }
        if (status.Type == FileStatus.Regular && status.LinkCount <= 1 && deferred is not null)
        {
            deferred.AddFile(source, dest, status, (int)uid, (int)gid, request.Chmod is null ? status.Permissions : ModeSpec.Apply(request.Chmod, status.Permissions, false));
            return;
        }
        if (status.Type == FileStatus.Regular)
        {
            var mode = request.Chmod is null ? status.Permissions : ModeSpec.Apply(request.Chmod, status.Permissions, false);
            var xattrs = CopiedXattrs(source);
            Libc.CopyRegularFile(source, dest, status.Size, (int)uid, (int)gid, mode, status.MtimeSeconds, status.MtimeNanoseconds,
                xattrs.Count == 0 ? null : () => SetXattrs(dest, xattrs));
            request.Copied?.Report(status.Size);
            if (status.LinkCount > 1) links[(status.DeviceMajor << 32 | status.DeviceMinor, status.Inode)] = dest;
            return;
        }
        switch (status.Type)
        {
            case FileStatus.Symlink:
                File.CreateSymbolicLink(dest, new FileInfo(source).LinkTarget ?? "");
                break;
            case FileStatus.Fifo:
            case FileStatus.CharDevice:
            case FileStatus.BlockDevice:
                Libc.Mknod(dest, status.Type | status.Permissions, status.RdevMajor, status.RdevMinor);
                break;
            default:
                throw new InvalidArgumentException($"{request.Keyword} failed: {source} is a socket or unknown file type");
        }
        Libc.Lchown(dest, (int)uid, (int)gid);
        SetXattrs(dest, CopiedXattrs(source));
        if (!status.IsSymlink)
        {
            var mode = request.Chmod is null ? status.Permissions : ModeSpec.Apply(request.Chmod, status.Permissions, false);
            Libc.Chmod(dest, mode);
        }
        Libc.Lutimes(dest, status.MtimeSeconds, status.MtimeNanoseconds);
        if (status.LinkCount > 1) links[(status.DeviceMajor << 32 | status.DeviceMinor, status.Inode)] = dest;
    }

    /// <summary>The source's user.* and security.* xattrs, which COPY keeps (as BuildKit's copier does).</summary>
    internal static List<KeyValuePair<string, byte[]>> CopiedXattrs(string source)
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        foreach (var name in Libc.Llistxattr(source))
        {
            if (!name.StartsWith("user.", StringComparison.Ordinal) && !name.StartsWith("security.", StringComparison.Ordinal)) continue;
            if (Libc.Lgetxattr(source, name) is { } value) result.Add(new(name, value));
        }
        return result;
    }

    internal static void SetXattrs(string dest, List<KeyValuePair<string, byte[]>> xattrs)
    {
        foreach (var (name, value) in xattrs) Libc.Lsetxattr(dest, name, value);
    }

    /// <summary>
    /// The host path of <paramref name="path"/> inside the target (resolved in scope), created with
    /// its missing parents: 0755, owned by the <c>--chown</c> owner or root, as BuildKit makes them.
    /// </summary>
    private static string EnsureDirectory(string targetRoot, string path, CopyRequest request, FileStatus? sourceStatus)
    {
        // Resolve in scope first: every existing component (symlinks included) is then a real
        // directory inside the root, and only plain names are left to create, never a link.
        var resolved = ScopedPath.Resolve(targetRoot, path);
        var relative = Path.GetRelativePath(targetRoot, resolved);
        var current = targetRoot;
        if (relative == ".") return targetRoot;
        var parts = relative.Split(Path.DirectorySeparatorChar);
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (Libc.TryLstat(current, out var existing))
            {
                if (!existing.IsDirectory) throw new InvalidArgumentException($"{request.Keyword} failed: destination {path} exists and is not a directory");
                continue;
            }
            Directory.CreateDirectory(current);
            // Made directories (the one a directory source lands in too) belong to the --chown
            // owner or root, never to the source's owner: BuildKit makes them with MkdirAll.
            var (uid, gid) = request.Owner ?? (0u, 0u);
            Libc.Lchown(current, (int)uid, (int)gid);
            // 0755 even for the directory a directory source lands in: BuildKit copies the
            // source's contents into a directory MkdirAll makes, not the source directory itself.
            Libc.Chmod(current, 0x1ED);
        }
        return current;
    }

    private static (uint Uid, uint Gid) OwnerOf(FileStatus source, CopyRequest request) =>
        request.Owner ?? (request.KeepOwners ? ((uint)source.Uid, (uint)source.Gid) : (0u, 0u));

    private static Task<bool> IsArchiveAsync(string path, CancellationToken cancellationToken) => ArchiveSource.IsArchiveAsync(path, cancellationToken);

    private static async Task ExtractAsync(string archive, string targetDir, CopyRequest request, CancellationToken cancellationToken)
    {
        await using var source = await ArchiveSource.OpenAsync(archive, cancellationToken).ConfigureAwait(false);
        await LayerApplier.ApplyAsync(source.Stream, targetDir, new LayerApplyOptions { LayerName = $"{request.Keyword} {Path.GetFileName(archive)}" }, cancellationToken).ConfigureAwait(false);
        await source.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string CombineUnix(string a, string b) =>
        b.Length == 0 ? a : a.EndsWith('/') ? a + b : a + "/" + b;

    private static string ParentOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }
}
