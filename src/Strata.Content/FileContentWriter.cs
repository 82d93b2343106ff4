using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Content;

/// <summary>
/// One ingest of a <see cref="FileContentStore"/>: <c>ingest/&lt;ref&gt;/data</c> plus a
/// <c>lock</c> file this writer holds an exclusive flock on for its whole life, which tells
/// any sweeper (in any process) that the ingest is alive.
/// </summary>
internal sealed class FileContentWriter : ContentWriter, ISha256Sink
{
    private readonly FileContentStore _store;
    private readonly string _directory;
    private readonly string _dataPath;
    private readonly SafeFileHandle _lock;
    // Fed by the data file: a big blob is hashed on another thread while it is written.
    private readonly IncrementalHash _hash;
    private SequentialFileWriter? _data;
    private long _written;
    private bool _finished;

    private FileContentWriter(FileContentStore store, string reference, string directory, SafeFileHandle lockHandle, SequentialFileWriter data, IncrementalHash hash)
    {
        _hash = hash;
        _store = store;
        Ref = reference;
        _directory = directory;
        _dataPath = Path.Combine(directory, FileContentStore.IngestDataName);
        _lock = lockHandle;
        _data = data;
    }

    public override string Ref { get; }

    public override long Length => _written;

    long ISha256Sink.BytesWritten => _written;

    Digest ISha256Sink.CurrentDigest()
    {
        Data().HashWritten();
        return Digest.FromSha256Bytes(_hash.GetCurrentHash());
    }

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException("A content writer cannot seek.");
    }

    /// <summary>
    /// Creates the ingest under a staging name, locks it, then renames it to its real name, so a
    /// sweeper never sees a live ingest without its lock held.
    /// </summary>
    internal static FileContentWriter Create(FileContentStore store)
    {
        var reference = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var staging = Path.Combine(store.IngestRoot, FileContentStore.StagingPrefix + reference);
        var directory = Path.Combine(store.IngestRoot, reference);
        Directory.CreateDirectory(staging);
        SafeFileHandle? lockHandle = null;
        SequentialFileWriter? data = null;
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var lockPath = Path.Combine(staging, FileContentStore.IngestLockName);
            lockHandle = Libc.OpenLockFile(lockPath, create: true);
            if (!Libc.TryFlockExclusive(lockHandle, lockPath))
                throw new FailedPreconditionException($"ingest {reference} is locked by someone else.");
            Directory.Move(staging, directory);
            // Big layers skip the page cache (see SequentialFileWriter); small pieces (512-byte
            // tar headers) are batched in its buffer either way.
            data = SequentialFileWriter.Create(Path.Combine(directory, FileContentStore.IngestDataName), hash);
            return new FileContentWriter(store, reference, directory, lockHandle, data, hash);
        }
        catch
        {
            data?.Dispose();
            hash.Dispose();
            FileContentStore.DeleteDirectory(Directory.Exists(directory) ? directory : staging);
            lockHandle?.Dispose();
            throw;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Data().Write(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Data().WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _written += buffer.Length;
    }

    public override void Flush() => _data?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override async ValueTask<ContentInfo> CommitAsync(long? expectedSize, Digest? expectedDigest, CancellationToken cancellationToken)
    {
        var data = Data();
        if (expectedDigest is { } wanted && !wanted.ToString().StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal))
        {
            Abort();
            throw new InvalidArgumentException($"cannot commit ingest {Ref} as {wanted}: this store writes only sha256 blobs.");
        }
        try
        {
            // fsync before the rename: otherwise a crash could leave a visible blob whose data never reached the disk.
            data.Complete();
        }
        catch
        {
            Abort();
            throw;
        }
        data.Dispose();
        _data = null;

        var digest = Digest.FromSha256Bytes(_hash.GetHashAndReset());
        if (expectedSize is { } size && size != _written)
        {
            Abort();
            throw new DigestMismatchException($"ingest {Ref} for {expectedDigest?.ToString() ?? digest.ToString()}: size mismatch: expected {size} bytes, got {_written} (digest {digest}).");
        }
        if (expectedDigest is { } expected && expected != digest)
        {
            Abort();
            throw new DigestMismatchException(expected, digest, $"ingest {Ref}");
        }

        try
        {
            var target = _store.BlobPath(digest);
            if (!File.Exists(target))
            {
                // The blob's mtime is its commit time (ContentInfo.CommittedAt), not its last write.
                File.SetLastWriteTimeUtc(_dataPath, _store.Now.UtcDateTime);
                // Read-only before it becomes visible, so no reader ever sees a writable blob.
                Libc.Chmod(_dataPath, 0x124 /* 0444 */);
                // rename(2) replaces atomically: two writers of the same content both succeed and
                // readers see either the old or the new inode, both complete and identical.
                File.Move(_dataPath, target, overwrite: true);
                Libc.FsyncDirectory(Path.GetDirectoryName(target)!);
            }
            var info = _store.InfoOf(digest) ?? throw new NotFoundException($"blob {digest} vanished right after commit.");
            return info;
        }
        finally
        {
            Abort();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Abort();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Abort();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private SequentialFileWriter Data()
    {
        if (_finished || _data is null) throw new ObjectDisposedException(nameof(ContentWriter), $"ingest {Ref} is already committed or aborted.");
        return _data;
    }

    // Removes the ingest while still holding its lock, so no sweeper can race the removal.
    private void Abort()
    {
        if (_finished) return;
        _finished = true;
        _data?.Dispose();
        _data = null;
        FileContentStore.DeleteDirectory(_directory);
        _lock.Dispose();
        _hash.Dispose();
    }
}
