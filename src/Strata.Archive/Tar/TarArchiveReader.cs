using System.Buffers;
using System.Text;

namespace Strata.Archive.Tar;

/// <summary>
/// Reads ustar, PAX (per-entry records, binary SCHILY.xattr values) and GNU (long names and
/// links, base-256 numbers) archives, including the mixed GNU/ustar headers of old tools.
/// Written here rather than using System.Formats.Tar because that reader decodes PAX values as
/// strings (losing binary xattrs such as security.capability) and has no size caps.
/// Every fault is a <see cref="LayerSecurityException"/> naming the layer and the entry.
/// </summary>
internal sealed class TarArchiveReader
{
    private readonly Stream _stream;
    private readonly string _layerName;
    private readonly int _maxHeaderBytes;
    private readonly long _maxEntries;
    private readonly byte[] _block = new byte[TarHeaderWriter.BlockSize];
    private long _remaining;
    private long _padding;
    private long _headersRead;
    private long _current;

    public TarArchiveReader(Stream stream, string layerName, int maxHeaderBytes, long maxEntries)
    {
        _stream = stream;
        _layerName = layerName;
        _maxHeaderBytes = maxHeaderBytes;
        _maxEntries = maxEntries;
    }

    /// <summary>The entry being read or last returned, from 1 in archive order (extension headers not counted).</summary>
    public long CurrentIndex => _current;

    /// <summary>The next entry, or null at the end of the archive. Unread data of the previous
    /// entry is skipped.</summary>
    public async ValueTask<TarHeader?> NextAsync(CancellationToken cancellationToken)
    {
        await SkipRestAsync(cancellationToken).ConfigureAwait(false);
        _current = _headersRead + 1;
        Dictionary<string, byte[]>? pax = null;
        string? longName = null;
        string? longLink = null;
        string lastName = "";
        while (true)
        {
            if (!await ReadBlockAsync(cancellationToken).ConfigureAwait(false)) return null;
            if (_block.AsSpan().IndexOfAnyExcept((byte)0) < 0) return null;
            var raw = ParseBlock(lastName);
            lastName = longName ?? raw.Name;
            byte type = raw.TypeFlag;
            if (type is TarTypeFlag.PaxExtended or TarTypeFlag.PaxGlobal or TarTypeFlag.GnuLongName or TarTypeFlag.GnuLongLink)
            {
                if (raw.Size > _maxHeaderBytes)
                    throw Fail(lastName, $"extended header of {raw.Size} bytes exceeds the cap of {_maxHeaderBytes}");
                byte[] data = new byte[raw.Size];
                await _stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                await SkipAsync(Padding(raw.Size), cancellationToken).ConfigureAwait(false);
                switch (type)
                {
                    case TarTypeFlag.PaxExtended:
                        pax = ParsePax(data, lastName);
                        break;
                    case TarTypeFlag.GnuLongName:
                        longName = CString(data);
                        break;
                    case TarTypeFlag.GnuLongLink:
                        longLink = CString(data);
                        break;
                    default:
                        break; // global PAX headers carry nothing a layer needs
                }
                continue;
            }

            var header = raw;
            if (longName is not null) header = header with { Name = longName };
            if (longLink is not null) header = header with { LinkName = longLink };
            if (pax is not null) header = ApplyPax(header, pax);
            // Pre-POSIX archives mark directories only by a trailing slash on a plain-file entry.
            if (header.TypeFlag == TarTypeFlag.RegularOld && header.Name.EndsWith('/'))
                header = header with { TypeFlag = TarTypeFlag.Directory, Size = 0 };
            if (header.Size < 0) throw Fail(header.Name, "negative size");
            // Extension headers are not counted: each is bounded by the header cap, and all of
            // them by the caller's byte cap.
            if (++_headersRead > _maxEntries) throw Fail(header.Name, $"more than {_maxEntries} entries");
            bool hasData = header.TypeFlag is TarTypeFlag.Regular or TarTypeFlag.RegularOld or TarTypeFlag.Contiguous
                || header.TypeFlag > (byte)'7'; // unknown types may carry data; it is skipped
            _remaining = hasData ? header.Size : 0;
            _padding = hasData ? Padding(header.Size) : 0;
            return header;
        }
    }

    /// <summary>Reads the current entry's content; returns 0 at its end.</summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0) return 0;
        if (buffer.Length > _remaining) buffer = buffer[..(int)_remaining];
        int n = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0) throw new EndOfStreamException($"layer {_layerName}: archive truncated inside an entry");
        _remaining -= n;
        return n;
    }

    /// <summary>Reads and discards whatever follows the end-of-archive marker, so the caller's
    /// hash covers the whole stream.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask SkipRestAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_remaining + _padding, cancellationToken).ConfigureAwait(false);
        _remaining = 0;
        _padding = 0;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                int n = await _stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException($"layer {_layerName}: archive truncated");
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> ReadBlockAsync(CancellationToken cancellationToken)
    {
        int n = await _stream.ReadAtLeastAsync(_block, _block.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (n == 0) return false; // an archive without end marker still ends cleanly here
        if (n < _block.Length) throw new EndOfStreamException($"layer {_layerName}: archive truncated inside a header");
        return true;
    }

    private static long Padding(long size) => (TarHeaderWriter.BlockSize - (size % TarHeaderWriter.BlockSize)) % TarHeaderWriter.BlockSize;

    private TarHeader ParseBlock(string previousName)
    {
        var b = _block.AsSpan();
        string name = CString(b[..100]);
        if (!ChecksumMatches(b)) throw Fail(name.Length > 0 ? name : previousName, "header checksum mismatch (not a tar archive?)");
        bool posix = b.Slice(257, 6).SequenceEqual("ustar\0"u8);
        // GNU tar reuses the ustar prefix field for atime/ctime, so the prefix counts only in POSIX headers.
        if (posix && b[345] != 0) name = CString(b.Slice(345, 155)) + "/" + name;
        return new TarHeader
        {
            Name = name,
            TypeFlag = b[156],
            Mode = (int)(ParseNumber(b.Slice(100, 8), name) & 0xFFF),
            Uid = Id(ParseNumber(b.Slice(108, 8), name)),
            Gid = Id(ParseNumber(b.Slice(116, 8), name)),
            Size = ParseNumber(b.Slice(124, 12), name),
            MtimeSeconds = ParseNumber(b.Slice(136, 12), name),
            LinkName = CString(b.Slice(157, 100)),
            DeviceMajor = b[329] == 0 ? 0 : ParseNumber(b.Slice(329, 8), name),
            DeviceMinor = b[337] == 0 ? 0 : ParseNumber(b.Slice(337, 8), name),
        };
    }

    // Ids beyond int range (seen in old GNU archives) read as -1, which apply refuses.
    private static int Id(long value) => value is < 0 or > int.MaxValue ? -1 : (int)value;

    private static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        long stored = 0;
        foreach (byte c in block.Slice(148, 8))
        {
            if (c is >= (byte)'0' and <= (byte)'7') stored = (stored * 8) + (c - '0');
            else if (c is 0 or (byte)' ' && stored > 0) break;
        }
        long unsigned = 0, signed = 0;
        for (int i = 0; i < block.Length; i++)
        {
            byte c = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += c;
            signed += (sbyte)c;
        }
        return stored == unsigned || stored == signed;
    }

    /// <summary>Octal (space/NUL padded) or GNU base-256 (high bit of the first byte set).</summary>
    private long ParseNumber(ReadOnlySpan<byte> field, string name)
    {
        if ((field[0] & 0x80) != 0)
        {
            // Base-256, two's complement (GNU): bit 6 of the first byte is the sign.
            byte invert = (field[0] & 0x40) != 0 ? (byte)0xFF : (byte)0;
            ulong x = 0;
            for (int i = 0; i < field.Length; i++)
            {
                byte c = (byte)(field[i] ^ invert);
                if (i == 0) c &= 0x7F;
                if ((x >> 56) != 0) throw Fail(name, "numeric field overflows");
                x = (x << 8) | c;
            }
            if ((x >> 63) != 0) throw Fail(name, "numeric field overflows");
            return invert == 0xFF ? ~(long)x : (long)x;
        }
        long result = 0;
        bool started = false;
        foreach (byte c in field)
        {
            if (c is >= (byte)'0' and <= (byte)'7')
            {
                started = true;
                if (result > (long.MaxValue >> 3)) throw Fail(name, "numeric field overflows");
                result = (result * 8) + (c - '0');
            }
            else if (c is (byte)' ' or 0)
            {
                if (started) break;
            }
            else
            {
                throw Fail(name, "invalid numeric field in header");
            }
        }
        return result;
    }

    private Dictionary<string, byte[]> ParsePax(byte[] data, string name)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int pos = 0;
        while (pos < data.Length)
        {
            int space = Array.IndexOf(data, (byte)' ', pos);
            if (space < 0) throw Fail(name, "malformed PAX record");
            int length = 0;
            for (int i = pos; i < space; i++)
            {
                if (data[i] is < (byte)'0' or > (byte)'9' || length > 100_000_000) throw Fail(name, "malformed PAX record length");
                length = (length * 10) + (data[i] - '0');
            }
            int end = pos + length;
            if (length <= 0 || end > data.Length || data[end - 1] != '\n') throw Fail(name, "malformed PAX record");
            int equals = Array.IndexOf(data, (byte)'=', space + 1, end - space - 1);
            if (equals < 0) throw Fail(name, "malformed PAX record");
            string key = Encoding.UTF8.GetString(data, space + 1, equals - space - 1);
            records[key] = data.AsSpan(equals + 1, end - equals - 2).ToArray();
            pos = end;
        }
        return records;
    }

    private TarHeader ApplyPax(TarHeader header, Dictionary<string, byte[]> pax)
    {
        List<KeyValuePair<string, byte[]>>? xattrs = null;
        foreach (var (key, value) in pax)
        {
            switch (key)
            {
                case "path":
                    header = header with { Name = Encoding.UTF8.GetString(value) };
                    break;
                case "linkpath":
                    header = header with { LinkName = Encoding.UTF8.GetString(value) };
                    break;
                case "size":
                    header = header with { Size = PaxNumber(value, header.Name) };
                    break;
                case "uid":
                    header = header with { Uid = Id(PaxNumber(value, header.Name)) };
                    break;
                case "gid":
                    header = header with { Gid = Id(PaxNumber(value, header.Name)) };
                    break;
                case "mtime":
                    header = header with { MtimeSeconds = PaxTime(value, header.Name) };
                    break;
                default:
                    if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        (xattrs ??= []).Add(new(key["SCHILY.xattr.".Length..], value));
                    else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                        throw Fail(header.Name, "GNU sparse files are not supported");
                    break;
            }
        }
        if (xattrs is not null)
        {
            xattrs.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
            header = header with { Xattrs = xattrs };
        }
        return header;
    }

    private long PaxNumber(byte[] value, string name)
    {
        if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
            throw Fail(name, "invalid PAX number");
        return n;
    }

    private long PaxTime(byte[] value, string name)
    {
        int dot = Array.IndexOf(value, (byte)'.');
        var whole = dot < 0 ? value : value.AsSpan(0, dot).ToArray();
        if (!long.TryParse(whole, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long n))
            throw Fail(name, "invalid PAX mtime");
        return n;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    private LayerSecurityException Fail(string entry, string what) => new(_layerName, entry, _current, what);
}
