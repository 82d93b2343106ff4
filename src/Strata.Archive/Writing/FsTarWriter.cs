using System.Buffers;
using Strata.Archive.Tar;
using Strata.Core.Unix;

namespace Strata.Archive.Writing;

/// <summary>
/// Turns filesystem objects into tar entries on one stream: ids numeric, mtimes whole seconds
/// (clamped to SOURCE_DATE_EPOCH when given), hardlinks pointing at the first path of their
/// inode written in this layer, whiteouts with fixed metadata. Callers decide the order.
/// </summary>
internal sealed class FsTarWriter
{
    private const int CopyBufferSize = 1 << 20;
    private readonly Stream _output;
    private readonly long? _epoch;
    private readonly Dictionary<(long Major, long Minor, long Inode), string> _linkTargets = [];
    private readonly IProgress<long>? _progress;

    /// <param name="progress">Told <see cref="ContentSize"/>'s bytes written so far, as file content is copied.</param>
    public FsTarWriter(Stream output, DateTimeOffset? sourceDateEpoch, IProgress<long>? progress = null)
    {
        _output = output;
        _epoch = sourceDateEpoch?.ToUnixTimeSeconds();
        _progress = progress;
    }

    /// <summary>docker's SIZE of what was written so far: regular file bytes and symlink target
    /// lengths, a hard-linked inode once (the same count as a walk of the tree would give).</summary>
    public long ContentSize { get; private set; }

    /// <summary>Writes the object at <paramref name="fullPath"/> as entry <paramref name="name"/>
    /// (relative, no trailing slash).</summary>
    public void WritePath(string fullPath, string name, in FileStatus status, IReadOnlyList<KeyValuePair<string, byte[]>> xattrs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long mtime = _epoch is long epoch && status.MtimeSeconds > epoch ? epoch : status.MtimeSeconds;
        var header = new TarHeader
        {
            Name = name,
            TypeFlag = TarTypeFlag.Regular,
            Mode = (int)status.Permissions,
            Uid = status.Uid,
            Gid = status.Gid,
            MtimeSeconds = mtime,
            Xattrs = xattrs,
        };
        if (!status.IsDirectory && status.LinkCount > 1)
        {
            var key = (status.DeviceMajor, status.DeviceMinor, status.Inode);
            if (_linkTargets.TryGetValue(key, out string? first))
            {
                TarHeaderWriter.Write(_output, header with { TypeFlag = TarTypeFlag.Hardlink, LinkName = first });
                return;
            }
            _linkTargets[key] = name;
        }

        switch (status.Type)
        {
            case FileStatus.Directory:
                TarHeaderWriter.Write(_output, header with { Name = name + "/", TypeFlag = TarTypeFlag.Directory });
                break;
            case FileStatus.Symlink:
                ContentSize += status.Size;
                _progress?.Report(ContentSize);
                string target = new FileInfo(fullPath).LinkTarget ?? "";
                TarHeaderWriter.Write(_output, header with { TypeFlag = TarTypeFlag.Symlink, LinkName = target });
                break;
            case FileStatus.CharDevice or FileStatus.BlockDevice:
                TarHeaderWriter.Write(_output, header with
                {
                    TypeFlag = status.Type == FileStatus.CharDevice ? TarTypeFlag.CharDevice : TarTypeFlag.BlockDevice,
                    DeviceMajor = status.RdevMajor,
                    DeviceMinor = status.RdevMinor,
                });
                break;
            case FileStatus.Fifo:
                TarHeaderWriter.Write(_output, header with { TypeFlag = TarTypeFlag.Fifo });
                break;
            case FileStatus.Regular:
                ContentSize += status.Size;
                TarHeaderWriter.Write(_output, header with { Size = status.Size });
                CopyContent(fullPath, status.Size, cancellationToken);
                TarHeaderWriter.WritePadding(_output, status.Size);
                break;
            default:
                // Sockets cannot be archived (docker and containerd skip them too).
                break;
        }
    }

    /// <summary>A <c>.wh.</c> entry. Metadata is fixed so whiteouts never make two layers differ.</summary>
    public void WriteWhiteout(string whiteoutName) =>
        TarHeaderWriter.Write(_output, new TarHeader { Name = whiteoutName, TypeFlag = TarTypeFlag.Regular });

    public void WriteEnd() => TarHeaderWriter.WriteEnd(_output);

    private void CopyContent(string fullPath, long size, CancellationToken cancellationToken)
    {
        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long left = size;
            while (left > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) throw new IOException($"{fullPath}: file shrank while being archived");
                _output.Write(buffer, 0, n);
                left -= n;
                // ContentSize already counts the whole file.
                _progress?.Report(ContentSize - left);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
