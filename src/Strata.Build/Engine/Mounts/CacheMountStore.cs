using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Strata.Build.Cache;
using Strata.Build.Cache.Usage;
using Strata.Core.Unix;
using Strata.Dockerfile.Instructions;
using Strata.Images;

namespace Strata.Build.Engine.Mounts;

/// <summary>
/// The directories behind <c>RUN --mount=type=cache</c>, kept outside every layer under
/// <c>&lt;store&gt;/cache/mounts/</c> and shared by all builds on the store (as BuildKit's cache
/// mounts are shared by all builds on a builder). Layout, one entry per cache instance:
/// <c>NAME/</c> holds the content and nothing else; <c>NAME.lock</c> (flock, held by every step
/// using it), <c>NAME.id</c> (the id as written; its mtime is the last use) and <c>NAME.uses</c>
/// (one byte per use) sit beside it.
/// NAME is the id with unsafe characters replaced, cut short, plus 16 hex digits of its sha256,
/// so ids like <c>../x</c> or <c>a/b</c> stay one directory name. A <c>sharing=private</c> mount that finds an instance in use takes <c>NAME.pN</c>.
/// </summary>
internal static class CacheMountStore
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(50);

    public static string Root(string storeRoot) => new StoreLayout(storeRoot).CacheMounts;

    /// <summary>A single safe directory name for a cache id (never ".", "..", or containing '/').</summary>
    public static string DirectoryName(string id) => DirectoryName(id, null);

    /// <summary>As <see cref="DirectoryName(string)"/>, with the seed source in the hash (not in the readable part).</summary>
    public static string DirectoryName(string id, string? seedKey)
    {
        var safe = new StringBuilder();
        foreach (var c in id)
        {
            if (safe.Length == 32) break;
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        var hashed = seedKey is null ? id : id + "\0from " + seedKey;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))[..16];
        return safe.Length == 0 ? hash : safe + "-" + hash;
    }

    /// <summary>
    /// The instance name <paramref name="mount"/> asks for (a <c>sharing=private</c> mount may
    /// get <c>NAME.pN</c> instead): its id, and for a seeded cache also what seeds it. Two
    /// mounts of one step with the same name are one cache (BuildKit's per-exec cache key).
    /// </summary>
    public static string InstanceName(RunMount mount, string? seedKey)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var id = mount.Id ?? mount.Target ?? "";
        return seedKey is null ? DirectoryName(id) : DirectoryName(id, seedKey);
    }

    /// <summary>
    /// The cache directory for <paramref name="mount"/>, created on first use (seeded by
    /// <paramref name="seed"/> when the mount has <c>from=</c>, else empty with the mount's mode
    /// and owner), and held as its sharing mode asks until the lease is disposed: shared takes a
    /// shared flock (many steps at once; it only tells <c>builder prune</c> the instance is in
    /// use, and waits while a prune removes it); locked waits for the exclusive flock (across
    /// processes, and for shared users too); private takes the first instance whose flock is free.
    /// Each use touches <c>INSTANCE.id</c>: its mtime is the last use <c>--filter until</c> reads.
    /// </summary>
    /// <param name="seedKey">What a seeded cache is filled from (snapshot and path): part of its name, as BuildKit keys such a cache by the source too.</param>
    public static async Task<CacheMountLease> AcquireAsync(string storeRoot, RunMount mount, string? seedKey, Func<string, CancellationToken, Task>? seed, CancellationToken cancellationToken)
    {
        var root = Root(storeRoot);
        Directory.CreateDirectory(root);
        _ = Libc.TryMarkTopDirectory(root); // each cache in a block group of its own, as snapshots
        var id = mount.Id ?? mount.Target ?? "";
        var name = InstanceName(mount, seedKey);
        SafeFileHandle? held = null;
        var instance = name;
        try
        {
            switch (mount.Sharing)
            {
                case CacheSharing.Shared:
                    held = Libc.OpenLockFile(Path.Combine(root, instance + ".lock"), create: true);
                    while (!Libc.TryFlockShared(held, instance))
                        await Task.Delay(LockPoll, cancellationToken).ConfigureAwait(false);
                    break;
                case CacheSharing.Locked:
                    held = Libc.OpenLockFile(Path.Combine(root, instance + ".lock"), create: true);
                    while (!Libc.TryFlockExclusive(held, instance))
                        await Task.Delay(LockPoll, cancellationToken).ConfigureAwait(false);
                    break;
                case CacheSharing.Private:
                    for (int n = 0; ; n++)
                    {
                        instance = n == 0 ? name : $"{name}.p{n}";
                        var handle = Libc.OpenLockFile(Path.Combine(root, instance + ".lock"), create: true);
                        if (Libc.TryFlockExclusive(handle, instance))
                        {
                            held = handle;
                            break;
                        }
                        handle.Dispose();
                    }
                    break;
            }
            var directory = Path.Combine(root, instance);
            // Under the lock: a prune that removed the instance (and its id) has finished.
            await TouchIdAsync(directory + ".id", id, cancellationToken).ConfigureAwait(false);
            CountUse(directory);
            await EnsureCreatedAsync(directory, mount, seed, cancellationToken).ConfigureAwait(false);
            return new CacheMountLease(directory, held);
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One more use in <c>INSTANCE.uses</c> (BuildKit's usage count, <c>system df -v</c>'s USAGE):
    /// one byte appended per use, so concurrent shared users never lose a count (O_APPEND) and
    /// the count is the file's length.
    /// </summary>
    private static void CountUse(string directory)
    {
        using var uses = new FileStream(directory + CacheMountUsage.UsesSuffix, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        uses.WriteByte((byte)'.');
    }

    /// <summary>Records the id as written (first use) or the time of this use (later ones).</summary>
    private static async Task TouchIdAsync(string idFile, string id, CancellationToken cancellationToken)
    {
        if (File.Exists(idFile))
        {
            File.SetLastWriteTimeUtc(idFile, DateTime.UtcNow);
            return;
        }
        // Written beside and renamed in, so a concurrent reader never sees a half-written id.
        var staging = $"{idFile}.new-{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(staging, id, cancellationToken).ConfigureAwait(false);
        File.Move(staging, idFile, overwrite: true);
    }

    /// <summary>Builds a new instance beside its final name and renames it in: a racing build sees none or all of it.</summary>
    private static async Task EnsureCreatedAsync(string directory, RunMount mount, Func<string, CancellationToken, Task>? seed, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory)) return;
        var staging = $"{directory}.new-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            if (seed is not null)
            {
                await seed(staging, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // BuildKit's defaults for a new cache directory: 0755, root-owned.
                Libc.Chmod(staging, (uint)(mount.Mode ?? 0x1ED));
                Libc.Lchown(staging, mount.Uid ?? 0, mount.Gid ?? 0);
            }
            Directory.Move(staging, directory);
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            // Another build created it first; its copy is as good as ours.
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
