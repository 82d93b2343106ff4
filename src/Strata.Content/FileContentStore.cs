using System.Runtime.CompilerServices;
using System.Text;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Content;

/// <summary>
/// <see cref="IContentStore"/> on a local directory that is also an OCI image layout:
/// <c>blobs/sha256/&lt;hex&gt;</c> (read-only, complete, verified), <c>oci-layout</c>, and
/// <c>ingest/&lt;ref&gt;/</c> for writes in progress. <c>index.json</c> belongs to the image
/// store, not to this class. Safe for many processes at once.
/// </summary>
public sealed class FileContentStore : IContentStore
{
    internal const string IngestDataName = "data";
    internal const string IngestLockName = "lock";
    internal const string StagingPrefix = ".staging-";

    // A staging ingest or one without a lock file is normally renamed or locked within
    // microseconds; one this old belongs to a writer that died in between.
    private static readonly TimeSpan StagingGrace = TimeSpan.FromMinutes(10);

    private static readonly byte[] LayoutHeader = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");

    private readonly string _blobRoot;
    private readonly TimeProvider _time;

    private FileContentStore(string root, TimeProvider time)
    {
        Root = root;
        _time = time;
        _blobRoot = Path.Combine(root, "blobs", Digest.Sha256);
        IngestRoot = Path.Combine(root, "ingest");
    }

    public string Root { get; }

    internal string IngestRoot { get; }

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Opens (creating when needed) the store at <paramref name="root"/>: makes the folders,
    /// writes <c>oci-layout</c> if missing, and removes ingests whose writer is gone (their
    /// flock is free), never those of live writers in any process.
    /// </summary>
    /// <param name="root">The store directory.</param>
    /// <param name="timeProvider">Clock for the age of lock-less leftovers; defaults to the system clock.</param>
    public static FileContentStore Open(string root, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var store = new FileContentStore(Path.GetFullPath(root), timeProvider ?? TimeProvider.System);
        Directory.CreateDirectory(store._blobRoot);
        Directory.CreateDirectory(store.IngestRoot);
        store.EnsureLayoutHeader();
        store.SweepStaleIngests();
        return store;
    }

    public ValueTask<ContentInfo?> InfoAsync(Digest digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(IsStorable(digest) ? InfoOf(digest) : null);
    }

    public ValueTask<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsStorable(digest))
            throw new NotFoundException($"blob {digest} not found: this store holds only sha256 blobs.");
        FileStream file;
        try
        {
            file = new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundException($"blob {digest} not found in {Root}.", e);
        }
        return ValueTask.FromResult<Stream>(new VerifyingReadStream(file, digest));
    }

    public ValueTask<ContentWriter> OpenWriterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ContentWriter>(FileContentWriter.Create(this));
    }

    public async IAsyncEnumerable<ContentInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var path in Directory.EnumerateFiles(_blobRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Digest.TryParse(Digest.Sha256 + ":" + Path.GetFileName(path), out var digest)) continue;
            // A blob deleted while we list is simply not listed.
            if (InfoOf(digest) is { } info) yield return info;
        }
    }

    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsStorable(digest)) return ValueTask.FromResult(false);
        var path = BlobPath(digest);
        if (!File.Exists(path)) return ValueTask.FromResult(false);
        File.Delete(path);
        Libc.FsyncDirectory(_blobRoot);
        return ValueTask.FromResult(true);
    }

    internal string BlobPath(Digest digest) => Path.Combine(_blobRoot, digest.Encoded);

    internal ContentInfo? InfoOf(Digest digest)
    {
        var file = new FileInfo(BlobPath(digest));
        if (!file.Exists) return null;
        return new ContentInfo(digest, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
    }

    internal static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Someone else (a sweeper, a concurrent abort) already removed it.
        }
    }

    // ToString, not Algorithm: a default(Digest) has no value and its accessors throw.
    private static bool IsStorable(Digest digest) => digest.ToString().StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal);

    private void EnsureLayoutHeader()
    {
        var path = Path.Combine(Root, "oci-layout");
        if (File.Exists(path)) return;
        // Write aside and rename so a concurrent opener never reads a half-written header.
        var temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllBytes(temp, LayoutHeader);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A full disk fails the write after the create: leave no empty temp file behind.
            File.Delete(temp);
            throw;
        }
    }

    private void SweepStaleIngests()
    {
        foreach (var directory in Directory.EnumerateDirectories(IngestRoot))
        {
            var name = Path.GetFileName(directory);
            var lockPath = Path.Combine(directory, IngestLockName);
            bool staging = name.StartsWith(StagingPrefix, StringComparison.Ordinal);
            if (staging || !File.Exists(lockPath))
            {
                if (_time.GetUtcNow().UtcDateTime - Directory.GetLastWriteTimeUtc(directory) > StagingGrace) DeleteDirectory(directory);
                continue;
            }
            try
            {
                using var handle = Libc.OpenLockFile(lockPath, create: false);
                // Free lock = the writer is gone (a crash or a kill releases flocks). Delete while holding it.
                if (Libc.TryFlockExclusive(handle, lockPath)) DeleteDirectory(directory);
            }
            catch (UnixException e) when (e.Errno is Libc.Enoent or Libc.Enotdir)
            {
                // Removed by its writer or another sweeper between listing and opening.
            }
        }
    }
}
