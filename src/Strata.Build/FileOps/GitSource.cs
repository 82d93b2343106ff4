using Microsoft.Win32.SafeHandles;
using Strata.Build.Cache.Sources;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Images;

namespace Strata.Build.FileOps;

/// <summary>
/// ADD's git sources, fetched with the real git into a bare repository per remote under the
/// store's git cache (<see cref="GitCacheLayout"/>). Every build fetches the ref again (shallow,
/// depth 1), so a branch that moved gives a new commit and so a new cache key, and pins the
/// commit with <c>refs/strata/COMMIT</c>. The checkout is made from that local clone: a fresh
/// repository that fetches only the commit, checks it out detached, updates submodules (from
/// the remote, as BuildKit does) and loses its <c>.git</c> unless <c>--keep-git-dir</c>. As in
/// BuildKit, files get the checkout's mtime, directories 0755 and files 0644 or 0755 (git keeps
/// only the executable bit). Every read or write of an entry happens under its exclusive lock,
/// which <c>builder prune</c> takes without waiting and keeps while it removes the entry; each
/// fetch and each checkout that reads the clone marks it used (<c>KEY.url</c>'s mtime), so
/// <c>--filter until=</c> and <c>--keep-storage</c> see the last build that needed it.
/// </summary>
public sealed class GitSource
{
    private const string PinPrefix = "refs/strata/";
    private readonly GitCacheLayout _cache;

    /// <param name="cache">Where clones are kept, one entry per remote (created on demand).</param>
    public GitSource(GitCacheLayout cache) => _cache = cache;

    /// <summary>Fetches the reference's ref and returns the commit hash it names now (40 hex digits).</summary>
    public async Task<string> ResolveAsync(GitReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var key = GitCacheLayout.KeyOf(reference.Remote);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        return await FetchLockedAsync(reference, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="commit"/> out into the empty directory <paramref name="directory"/>.
    /// When a prune removed the clone since <see cref="ResolveAsync"/>, the ref is fetched again
    /// and must still name the same commit: the step's key must describe what it adds.
    /// </summary>
    public async Task CheckoutAsync(GitReference reference, string commit, string directory, bool keepGitDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var key = GitCacheLayout.KeyOf(reference.Remote);
        var repo = _cache.EntryDirectory(key);
        using (await LockAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (!await IsPinnedAsync(repo, commit, cancellationToken).ConfigureAwait(false))
            {
                var again = await FetchLockedAsync(reference, key, cancellationToken).ConfigureAwait(false);
                if (again != commit) throw new StrataException($"failed to fetch {reference.Remote} at ref {reference.RefName}: it moved during the build (was {commit}, now {again})");
            }
            else
            {
                // Reading the clone is a use too: a long build's checkout keeps it as fresh as its fetch.
                await TouchUrlAsync(key, reference.Remote, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                await GitProcess.RunAsync(["init", "-q", directory], cancellationToken).ConfigureAwait(false);
                await GitProcess.RunAsync(["-C", directory, "fetch", "-q", "--depth", "1", "--no-tags", "file://" + repo, PinPrefix + commit], cancellationToken).ConfigureAwait(false);
            }
            catch (GitFailedException ex)
            {
                throw new StrataException($"failed to check out {reference.Remote} at ref {reference.RefName}: {ex.Message}", ex);
            }
        }
        try
        {
            await GitProcess.RunAsync(["-C", directory, "checkout", "-q", "--detach", commit], cancellationToken).ConfigureAwait(false);
            await GitProcess.RunAsync(["-C", directory, "remote", "add", "origin", reference.Remote], cancellationToken).ConfigureAwait(false);
            if (File.Exists(Path.Combine(directory, ".gitmodules")))
                await GitProcess.RunAsync(["-C", directory, "submodule", "update", "-q", "--init", "--recursive", "--depth", "1"], cancellationToken).ConfigureAwait(false);
        }
        catch (GitFailedException ex)
        {
            throw new StrataException($"failed to check out {reference.Remote} at ref {reference.RefName}: {ex.Message}", ex);
        }
        if (!keepGitDir) RemoveGitMetadata(directory);
        NormalizeModes(new DirectoryInfo(directory));
    }

    /// <summary>The fetch itself; the caller holds the entry's lock.</summary>
    private async Task<string> FetchLockedAsync(GitReference reference, string key, CancellationToken cancellationToken)
    {
        var repo = _cache.EntryDirectory(key);
        if (!File.Exists(Path.Combine(repo, "HEAD")))
        {
            // A clone killed before init finished is garbage; under the lock nobody else uses it.
            if (Directory.Exists(repo)) Directory.Delete(repo, recursive: true);
            await GitProcess.RunAsync(["init", "-q", "--bare", repo], cancellationToken).ConfigureAwait(false);
        }
        await TouchUrlAsync(key, reference.Remote, cancellationToken).ConfigureAwait(false);
        string commit;
        try
        {
            commit = await FetchRefAsync(repo, reference, cancellationToken).ConfigureAwait(false);
        }
        catch (GitFailedException ex)
        {
            throw new StrataException($"failed to fetch {reference.Remote} at ref {reference.RefName}: {ex.Message}", ex);
        }
        await GitProcess.RunAsync(["-C", repo, "update-ref", PinPrefix + commit, commit], cancellationToken).ConfigureAwait(false);
        return commit;
    }

    private static async Task<string> FetchRefAsync(string repo, GitReference reference, CancellationToken cancellationToken)
    {
        var want = reference.Ref ?? "HEAD";
        try
        {
            // A branch, tag or full ref name (git picks it as "git fetch URL NAME" does), or a full
            // commit hash the server lets us ask for.
            await GitProcess.RunAsync(["-C", repo, "fetch", "-q", "--depth", "1", "--no-tags", "--", reference.Remote, want], cancellationToken).ConfigureAwait(false);
            return await GitProcess.RunAsync(["-C", repo, "rev-parse", "--verify", "FETCH_HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
        }
        catch (GitFailedException) when (IsHexPrefix(want))
        {
            // An abbreviated hash, or a server that only serves advertised refs: fetch all branches
            // and tags in full and look the commit up among them.
            await GitProcess.RunAsync(["-C", repo, "fetch", "-q", "--no-tags", "--", reference.Remote, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], cancellationToken).ConfigureAwait(false);
            try
            {
                return await GitProcess.RunAsync(["-C", repo, "rev-parse", "--verify", "--end-of-options", want + "^{commit}"], cancellationToken).ConfigureAwait(false);
            }
            catch (GitFailedException)
            {
                throw new GitFailedException($"no commit {want} on any branch or tag");
            }
        }
    }

    private static bool IsHexPrefix(string value) => value.Length is >= 4 and <= 40 && value.All(Uri.IsHexDigit);

    private static async Task<bool> IsPinnedAsync(string repo, string commit, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(repo, "HEAD"))) return false;
        try
        {
            await GitProcess.RunAsync(["-C", repo, "rev-parse", "--verify", "-q", PinPrefix + commit], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GitFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The checkout's <c>.git</c> directory, and each submodule's <c>.git</c> file, which points
    /// into it (left alone it would dangle in the image).
    /// </summary>
    private static void RemoveGitMetadata(string directory)
    {
        Directory.Delete(Path.Combine(directory, ".git"), recursive: true);
        if (!File.Exists(Path.Combine(directory, ".gitmodules"))) return;
        foreach (var gitFile in Directory.EnumerateFiles(directory, ".git", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            File.Delete(gitFile);
    }

    /// <summary>Git stores only "executable or not": make the modes independent of the umask the build runs under.</summary>
    private static void NormalizeModes(DirectoryInfo directory)
    {
        Libc.Chmod(directory.FullName, 0x1ED);
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) continue;
            if (entry is DirectoryInfo child)
            {
                if (child.Name == ".git") continue; // git's own files keep the modes git gave them
                NormalizeModes(child);
            }
            else
            {
                bool executable = (File.GetUnixFileMode(entry.FullName) & UnixFileMode.UserExecute) != 0;
                Libc.Chmod(entry.FullName, executable ? 0x1EDu : 0x1A4u);
            }
        }
    }

    private Task<SafeFileHandle> LockAsync(string key, CancellationToken cancellationToken) =>
        EntryLock.AcquireAsync(_cache.LockFile(key), cancellationToken);

    /// <summary>Records the remote (first fetch) or the time of this use (later ones).</summary>
    private async Task TouchUrlAsync(string key, string remote, CancellationToken cancellationToken)
    {
        var urlFile = _cache.UrlFile(key);
        if (File.Exists(urlFile))
        {
            File.SetLastWriteTimeUtc(urlFile, DateTime.UtcNow);
            return;
        }
        var staging = urlFile + "." + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(staging, remote, cancellationToken).ConfigureAwait(false);
        File.Move(staging, urlFile, overwrite: true);
    }
}
