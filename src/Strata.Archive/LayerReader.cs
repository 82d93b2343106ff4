using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Strata.Archive.Applying;
using Strata.Archive.Tar;
using Strata.Core;

namespace Strata.Archive;

/// <summary>Lists a layer's entries without applying it (<c>tar -t</c>, analysis, tests).
/// Accepts plain tar, gzip or zstd.</summary>
public static class LayerReader
{
    public static IAsyncEnumerable<LayerEntry> ReadEntriesAsync(Stream layer, CancellationToken cancellationToken = default) =>
        ReadEntriesAsync(layer, LayerReadOptions.Default, cancellationToken);

    public static async IAsyncEnumerable<LayerEntry> ReadEntriesAsync(Stream layer, LayerReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        var decompressed = LayerCompressionDetector.OpenDecompressed(layer, leaveOpen: true);
        await using var _ = decompressed.ConfigureAwait(false);
        var reader = new TarArchiveReader(decompressed, options.LayerName, options.MaxHeaderBytes, options.MaxEntries);
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } header)
        {
            var entry = ToEntry(header);
            var observer = options.ContentObserver is { } factory && IsFile(header.TypeFlag) ? factory(entry) : null;
            if ((options.HashContent || observer is not null) && IsFile(header.TypeFlag))
            {
                var content = await ReadContentAsync(reader, options.HashContent, observer, cancellationToken).ConfigureAwait(false);
                entry = entry with { ContentDigest = content };
            }
            yield return entry;
        }
    }

    /// <summary>Reads a layer (plain, gzip or zstd) to its end: its diff ID, sizes and entry count.</summary>
    public static async Task<LayerMeasurement> MeasureAsync(Stream layer, LayerReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        var decompressed = LayerCompressionDetector.OpenDecompressed(layer, leaveOpen: true);
        await using var _ = decompressed.ConfigureAwait(false);
        var hashing = new IO.HashingReadStream(decompressed, long.MaxValue, n => new LayerSecurityException($"layer {options.LayerName}: more than {n} bytes"));
        await using var __ = hashing.ConfigureAwait(false);
        var reader = new TarArchiveReader(hashing, options.LayerName, options.MaxHeaderBytes, options.MaxEntries);
        long entries = 0, contentSize = 0;
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } header)
        {
            entries++;
            var entry = ToEntry(header);
            contentSize += entry.Type switch
            {
                LayerEntryType.File => entry.Size,
                LayerEntryType.Symlink => System.Text.Encoding.UTF8.GetByteCount(entry.LinkTarget ?? ""),
                _ => 0,
            };
        }
        // The diff ID covers the whole stream, padding after the end-of-archive blocks included.
        await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        return new LayerMeasurement(new DiffId(hashing.GetDigest()), hashing.BytesRead, entries, contentSize);
    }

    private static bool IsFile(byte type) => type is TarTypeFlag.Regular or TarTypeFlag.RegularOld or TarTypeFlag.Contiguous;

    private static async ValueTask<Digest?> ReadContentAsync(TarArchiveReader reader, bool hashIt, ILayerContentObserver? observer, CancellationToken cancellationToken)
    {
        using var hash = hashIt ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = await reader.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash?.AppendData(buffer, 0, n);
                observer?.Observe(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash is null ? null : Digest.Parse("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    internal static LayerEntry ToEntry(TarHeader header)
    {
        string name = EntryPath.Display(header.Name);
        string baseName = name[(name.LastIndexOf('/') + 1)..];
        string parent = name.Contains('/', StringComparison.Ordinal) ? name[..name.LastIndexOf('/')] : "";
        LayerEntryType type;
        string? whiteoutTarget = null;
        if (baseName == Whiteouts.OpaqueMarker)
        {
            type = LayerEntryType.OpaqueWhiteout;
            whiteoutTarget = parent.Length == 0 ? "." : parent;
        }
        else if (baseName.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            type = LayerEntryType.Whiteout;
            string target = baseName[Whiteouts.Prefix.Length..];
            whiteoutTarget = parent.Length == 0 ? target : parent + "/" + target;
        }
        else
        {
            type = header.TypeFlag switch
            {
                TarTypeFlag.Regular or TarTypeFlag.RegularOld or TarTypeFlag.Contiguous => LayerEntryType.File,
                TarTypeFlag.Directory => LayerEntryType.Directory,
                TarTypeFlag.Symlink => LayerEntryType.Symlink,
                TarTypeFlag.Hardlink => LayerEntryType.Hardlink,
                TarTypeFlag.CharDevice => LayerEntryType.CharDevice,
                TarTypeFlag.BlockDevice => LayerEntryType.BlockDevice,
                TarTypeFlag.Fifo => LayerEntryType.Fifo,
                _ => LayerEntryType.Other,
            };
        }
        bool hasData = type is LayerEntryType.File or LayerEntryType.Whiteout or LayerEntryType.OpaqueWhiteout or LayerEntryType.Other;
        return new LayerEntry(
            name, type, hasData ? header.Size : 0, header.Mode, header.Uid, header.Gid, header.MtimeSeconds,
            header.LinkName.Length > 0 ? header.LinkName : null,
            header.DeviceMajor, header.DeviceMinor, header.Xattrs, whiteoutTarget);
    }
}
