using System.Buffers;
using Strata.Archive.IO;
using Strata.Archive.Tar;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Archive.Applying;

/// <summary>
/// Applies one layer to a directory without ever touching anything outside it. Every entry's
/// parent is resolved component by component with lstat; a symlink met on the way is followed
/// only inside the root (an absolute target counts from the root, as the container will see
/// it; a relative one that climbs above the root is refused), so no later open can be
/// redirected out. Files are created with O_EXCL after removing what was there, which also
/// refuses a final-component symlink. Hardlink targets are resolved the same way.
/// Order of metadata matters: lchown first (it clears setuid bits and security.capability),
/// then chmod, then xattrs; directory mtimes last, after their contents stopped changing.
/// </summary>
internal sealed class RootedApplier
{
    private const int MaxSymlinkHops = 40;
    private const long MaxDeviceMajor = 0xFFF; // the kernel's 12-bit major
    private const long MaxDeviceMinor = 0xFFFFF; // and 20-bit minor
    private readonly string _root;
    private readonly LayerApplyOptions _options;
    /// <summary>Directories restored to at most this many times at once (memory bound: work in flight, not entries).</summary>
    private const int MaxPendingTimes = 4096;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    // Directories whose contents this layer is changing, with the mtime to give back once it stops:
    // the one they had before (their own entry's, when it came first) or their entry's (when it
    // comes later). Flushed whenever it grows past MaxPendingTimes and at the end, so a layer of
    // millions of entries keeps a few thousand paths in memory, not one per directory.
    private readonly Dictionary<string, (long Seconds, long Nanoseconds)> _pendingTimes = new(StringComparer.Ordinal);
    // Only a root that already held files has lower content an opaque marker must tell apart from
    // this layer's; into an empty root (import, an unpacked layer) every path is this layer's.
    private bool _trackCreated;
    private string _entry = "";
    private TarArchiveReader? _reader;

    public RootedApplier(string root, LayerApplyOptions options)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        if (_root.Length == 0) _root = "/";
        _options = options;
    }

    public async Task<LayerApplyResult> ApplyAsync(Stream layer, CancellationToken cancellationToken)
    {
        if (!Libc.TryLstat(_root, out var rootStatus) || !rootStatus.IsDirectory)
            throw new NotFoundException($"layer {_options.LayerName}: target root {_root} is not a directory");
        _trackCreated = Directory.EnumerateFileSystemEntries(_root).Any();

        // The blob is hashed as read, so its digest and size are verified without a second pass.
        using var blob = new HashingReadStream(layer, _options.ExpectedSize ?? long.MaxValue,
            size => new DigestMismatchException($"layer {_options.LayerName}: blob is larger than the expected {size} bytes"));
        Stream decompressed;
        try
        {
            decompressed = LayerCompressionDetector.OpenDecompressed(blob, leaveOpen: true);
        }
        catch (IOException e)
        {
            throw new InvalidArgumentException($"layer {_options.LayerName}: cannot read: {e.Message}", e);
        }
        await using var _ = decompressed.ConfigureAwait(false);
        using var tarStream = new HashingReadStream(decompressed, _options.MaxUncompressedBytes,
            cap => new LayerSecurityException(_options.LayerName, _entry, _reader?.CurrentIndex ?? 0, $"uncompressed layer exceeds the cap of {cap} bytes"));
        var reader = _reader = new TarArchiveReader(tarStream, _options.LayerName, _options.MaxHeaderBytes, _options.MaxEntries);
        long entries = 0;
        try
        {
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } header)
            {
                _entry = header.Name;
                entries++;
                await ApplyEntryAsync(reader, header, cancellationToken).ConfigureAwait(false);
            }
            await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
            // The decompressor may stop before the blob's last bytes (padding, a second member
            // it does not need): read them so the blob digest covers everything.
            await blob.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ZstdSharp.ZstdException)
        {
            throw new InvalidArgumentException($"layer {_options.LayerName}: entry \"{_entry}\": {e.Message}{LayerSecurityException.IndexSuffix(reader.CurrentIndex)}", e);
        }

        FlushTimes();

        if (_options.ExpectedSize is long expectedSize && blob.BytesRead != expectedSize)
            throw new DigestMismatchException($"layer {_options.LayerName}: blob is {blob.BytesRead} bytes, expected {expectedSize}");
        var blobDigest = blob.GetDigest();
        if (_options.ExpectedDigest is { } expectedDigest && expectedDigest != blobDigest)
            throw new DigestMismatchException(expectedDigest, blobDigest, $"layer {_options.LayerName}");
        var diffId = new DiffId(tarStream.GetDigest());
        if (_options.ExpectedDiffId is { } expected && expected != diffId)
            throw new DigestMismatchException(expected.Digest, diffId.Digest, $"layer {_options.LayerName}: diffID");
        return new LayerApplyResult(diffId, tarStream.BytesRead, entries) { Digest = blobDigest, Size = blob.BytesRead };
    }

    private async ValueTask ApplyEntryAsync(TarArchiveReader reader, TarHeader header, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (header.Name.Contains('\0', StringComparison.Ordinal)) throw Fail("name contains a NUL byte");
        var parts = EntryPath.Split(header.Name) ?? throw Fail("name climbs out of the root");
        if (parts.Count == 0)
        {
            // "./": the root itself; only its metadata can change.
            if (header.TypeFlag != TarTypeFlag.Directory) throw Fail("the root can only be a directory");
            SetMetadata(_root, header, isSymlink: false);
            SetDirectoryTime(_root, header.MtimeSeconds);
            return;
        }

        string baseName = parts[^1];
        parts.RemoveAt(parts.Count - 1);

        if (baseName.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(parts, baseName);
            return;
        }

        var (parentPath, parentRelative) = ResolveDirectory(parts, create: true);
        string path = parentPath + "/" + baseName;
        byte type = header.TypeFlag;

        bool exists = Libc.TryLstat(path, out var existing);
        if (!(exists && existing.IsDirectory && type == TarTypeFlag.Directory)) Changing(parentPath);
        if (exists && !(existing.IsDirectory && type == TarTypeFlag.Directory))
            RemoveAll(path);
        if (_trackCreated) _created.Add(parentRelative.Length == 0 ? baseName : parentRelative + "/" + baseName);

        switch (type)
        {
            case TarTypeFlag.Directory:
                if (!Libc.TryLstat(path, out _)) Directory.CreateDirectory(path);
                SetMetadata(path, header, isSymlink: false);
                SetDirectoryTime(path, header.MtimeSeconds);
                return;
            case TarTypeFlag.Regular or TarTypeFlag.RegularOld or TarTypeFlag.Contiguous:
                await WriteFileAsync(reader, path, header.Size, cancellationToken).ConfigureAwait(false);
                break;
            case TarTypeFlag.Symlink:
                if (header.LinkName.Length == 0) throw Fail("symlink with an empty target");
                File.CreateSymbolicLink(path, header.LinkName);
                SetMetadata(path, header, isSymlink: true);
                Libc.Lutimes(path, header.MtimeSeconds, 0);
                return;
            case TarTypeFlag.Hardlink:
                Libc.Link(ResolveHardlinkTarget(header.LinkName), path);
                return; // the inode keeps the metadata of the entry that created it
            case TarTypeFlag.CharDevice or TarTypeFlag.BlockDevice:
                if (header.DeviceMajor is < 0 or > MaxDeviceMajor || header.DeviceMinor is < 0 or > MaxDeviceMinor)
                    throw Fail($"invalid device number {header.DeviceMajor}:{header.DeviceMinor}");
                Libc.Mknod(path, (type == TarTypeFlag.CharDevice ? FileStatus.CharDevice : FileStatus.BlockDevice) | (uint)(header.Mode & 0xFFF),
                    header.DeviceMajor, header.DeviceMinor);
                break;
            case TarTypeFlag.Fifo:
                Libc.Mknod(path, FileStatus.Fifo | (uint)(header.Mode & 0xFFF), 0, 0);
                break;
            default:
                throw Fail($"unsupported entry type '{(char)type}'");
        }
        SetMetadata(path, header, isSymlink: false);
        Libc.Lutimes(path, header.MtimeSeconds, 0);
    }

    private void ApplyWhiteout(List<string> parentParts, string baseName)
    {
        if (baseName == Whiteouts.OpaqueMarker)
        {
            var resolved = TryResolveDirectory(parentParts);
            if (resolved is { } dir && _trackCreated) ClearLower(dir.Path, dir.Relative);
            return;
        }
        // .wh..wh.* are AUFS bookkeeping (hardlink stash, metadata); docker skips them too.
        if (baseName.StartsWith(Whiteouts.Prefix + Whiteouts.Prefix, StringComparison.Ordinal)) return;
        string target = baseName[Whiteouts.Prefix.Length..];
        if (target.Length == 0 || target == "." || target == "..")
            throw Fail("whiteout names no file (\".\", \"..\" or empty)");
        var parent = TryResolveDirectory(parentParts);
        if (parent is { } p && Libc.TryLstat(p.Path + "/" + target, out _))
        {
            Changing(p.Path);
            RemoveAll(p.Path + "/" + target);
        }
    }

    /// <summary>Opaque directory: remove what lower layers put there, keep what this layer
    /// already wrote (the marker may come before or after its siblings).</summary>
    private void ClearLower(string dir, string relative)
    {
        Changing(dir);
        foreach (string child in Directory.EnumerateFileSystemEntries(dir).ToList())
        {
            string childRelative = relative.Length == 0 ? Path.GetFileName(child) : relative + "/" + Path.GetFileName(child);
            if (!_created.Contains(childRelative))
            {
                RemoveAll(child);
            }
            else if (Libc.Lstat(child).IsDirectory)
            {
                ClearLower(child, childRelative);
            }
        }
    }

    private string ResolveHardlinkTarget(string linkName)
    {
        var parts = EntryPath.Split(linkName);
        if (parts is null || parts.Count == 0) throw Fail($"hardlink target \"{linkName}\" is outside the root");
        string baseName = parts[^1];
        parts.RemoveAt(parts.Count - 1);
        var parent = TryResolveDirectory(parts) ?? throw Fail($"hardlink target \"{linkName}\" does not exist");
        string target = parent.Path + "/" + baseName;
        if (!Libc.TryLstat(target, out var status)) throw Fail($"hardlink target \"{linkName}\" does not exist");
        if (status.IsDirectory) throw Fail($"hardlink target \"{linkName}\" is a directory");
        return target;
    }

    private (string Path, string Relative)? TryResolveDirectory(List<string> parts) => Resolve(parts, create: false);

    private (string Path, string Relative) ResolveDirectory(List<string> parts, bool create) =>
        Resolve(parts, create) ?? throw Fail("parent directory is missing");

    /// <summary>
    /// Walks <paramref name="parts"/> from the root with lstat, following symlinks inside the
    /// root only. Missing directories are created (0755, root-owned, as docker does) when
    /// <paramref name="create"/>; otherwise null is returned. Returns the real path (no
    /// symlinks in it) and its form relative to the root.
    /// </summary>
    private (string Path, string Relative)? Resolve(List<string> parts, bool create)
    {
        var pending = new LinkedList<string>(parts);
        var resolved = new List<string>();
        int hops = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            string part = node.Value;
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count == 0) throw Fail("a parent symlink leads outside the root");
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = _root + "/" + string.Join('/', resolved.Append(part));
            if (!Libc.TryLstat(candidate, out var status))
            {
                if (!create) return null;
                Changing(resolved.Count == 0 ? _root : _root + "/" + string.Join('/', resolved));
                Directory.CreateDirectory(candidate);
                Libc.Chmod(candidate, 0x1ED); // 0755
                resolved.Add(part);
                if (_trackCreated) _created.Add(string.Join('/', resolved));
                continue;
            }
            if (status.IsSymlink)
            {
                if (++hops > MaxSymlinkHops) throw Fail("too many levels of symbolic links in the parent path");
                string target = new FileInfo(candidate).LinkTarget ?? "";
                if (target.StartsWith('/')) resolved.Clear();
                var targetParts = target.Split('/');
                for (int i = targetParts.Length - 1; i >= 0; i--) pending.AddFirst(targetParts[i]);
                continue;
            }
            if (!status.IsDirectory) throw Fail($"parent \"{string.Join('/', resolved.Append(part))}\" is not a directory");
            resolved.Add(part);
        }
        string relative = string.Join('/', resolved);
        return (relative.Length == 0 ? _root : _root + "/" + relative, relative);
    }

    /// <summary>
    /// Gives a directory its entry's mtime now; if its contents are being changed (it is
    /// pending), the time is the one to give back at the flush instead.
    /// </summary>
    private void SetDirectoryTime(string path, long seconds)
    {
        if (_pendingTimes.ContainsKey(path)) _pendingTimes[path] = (seconds, 0);
        else Libc.Lutimes(path, seconds, 0);
    }

    /// <summary>
    /// Called before an entry is created in or removed from <paramref name="directory"/>: its
    /// current mtime is remembered to be given back, since the change moves it to now.
    /// </summary>
    private void Changing(string directory)
    {
        if (_pendingTimes.ContainsKey(directory)) return;
        if (_pendingTimes.Count >= MaxPendingTimes) FlushTimes();
        if (Libc.TryLstat(directory, out var status) && status.IsDirectory)
            _pendingTimes[directory] = (status.MtimeSeconds, status.MtimeNanoseconds);
    }

    /// <summary>Gives every pending directory its mtime back (in any order: setting a time changes no parent).</summary>
    private void FlushTimes()
    {
        foreach (var (path, (seconds, nanoseconds)) in _pendingTimes)
            if (Libc.TryLstat(path, out var s) && s.IsDirectory) Libc.Lutimes(path, seconds, nanoseconds);
        _pendingTimes.Clear();
    }

    private static async ValueTask WriteFileAsync(TarArchiveReader reader, string path, long size, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        if (size > 0) file.SetLength(size); // one allocation up front; also fails early when the disk is full
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = await reader.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                file.Write(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SetMetadata(string path, TarHeader header, bool isSymlink)
    {
        if (_options.ApplyOwners)
        {
            if (header.Uid < 0 || header.Gid < 0) throw Fail($"invalid owner {header.Uid}:{header.Gid}");
            Libc.Lchown(path, header.Uid, header.Gid);
        }
        if (!isSymlink) Libc.Chmod(path, (uint)(header.Mode & 0xFFF));
        foreach (var (name, value) in header.Xattrs)
        {
            // Overlay's own xattrs would change how a later overlay mount reads this directory.
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal) || name.StartsWith("user.overlay.", StringComparison.Ordinal)) continue;
            if (isSymlink && name.StartsWith("user.", StringComparison.Ordinal)) continue; // the kernel refuses user.* on symlinks
            try
            {
                Libc.Lsetxattr(path, name, value);
            }
            catch (UnixException e) when (e.Errno == Libc.Enotsup)
            {
                // the filesystem under the root has no xattrs of this namespace; like docker, go on
            }
        }
    }

    /// <summary>Removes a path and, for a real directory, everything below it; symlinks are
    /// removed, never followed.</summary>
    private static void RemoveAll(string path)
    {
        if (!Libc.TryLstat(path, out var status)) return;
        if (status.IsDirectory)
        {
            foreach (string child in Directory.EnumerateFileSystemEntries(path).ToList()) RemoveAll(child);
            Directory.Delete(path);
        }
        else
        {
            File.Delete(path);
        }
    }

    private LayerSecurityException Fail(string what) => new(_options.LayerName, _entry, _reader?.CurrentIndex ?? 0, what);
}
