using System.Buffers;
using System.Globalization;
using System.Text;

namespace Strata.Archive.Tar;

/// <summary>
/// Writes ustar headers, preceded by a PAX extended header when a value does not fit ustar
/// (long names, big files, large ids) or when there are xattrs. Everything that could differ
/// between machines is fixed: numeric ids only (empty uname/gname), whole-second mtimes, a
/// constant PAX header name, records in a fixed order. Same input, same bytes.
/// </summary>
internal static class TarHeaderWriter
{
    public const int BlockSize = 512;
    private const long MaxOctal7 = 0x1FFFFF; // 7 octal digits
    private const long MaxOctal11 = 0x1FFFFFFFF; // 11 octal digits

    public static void Write(Stream output, TarHeader header)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(header.Name);
        byte[] linkBytes = Encoding.UTF8.GetBytes(header.LinkName);
        bool longName = nameBytes.Length > 100;
        bool longLink = linkBytes.Length > 100;
        bool bigSize = header.Size > MaxOctal11;
        bool bigUid = header.Uid is < 0 or > (int)MaxOctal7;
        bool bigGid = header.Gid is < 0 or > (int)MaxOctal7;
        bool oddTime = header.MtimeSeconds is < 0 or > MaxOctal11;
        if (longName || longLink || bigSize || bigUid || bigGid || oddTime || header.Xattrs.Count > 0)
        {
            var pax = new ArrayBufferWriter<byte>();
            if (longName) AddRecord(pax, "path", nameBytes);
            if (longLink) AddRecord(pax, "linkpath", linkBytes);
            if (bigSize) AddRecord(pax, "size", header.Size);
            if (bigUid) AddRecord(pax, "uid", header.Uid);
            if (bigGid) AddRecord(pax, "gid", header.Gid);
            if (oddTime) AddRecord(pax, "mtime", header.MtimeSeconds);
            foreach (var (key, value) in header.Xattrs) AddRecord(pax, "SCHILY.xattr." + key, value);
            Span<byte> paxBlock = stackalloc byte[BlockSize];
            FillBlock(paxBlock, Encoding.UTF8.GetBytes(PaxHeaderName(header.Name)), TarTypeFlag.PaxExtended,
                0x1A4 /* 0644 */, 0, 0, pax.WrittenCount, 0, [], 0, 0);
            output.Write(paxBlock);
            output.Write(pax.WrittenSpan);
            WritePadding(output, pax.WrittenCount);
        }

        Span<byte> block = stackalloc byte[BlockSize];
        FillBlock(block, nameBytes.AsSpan(0, Math.Min(100, nameBytes.Length)), header.TypeFlag, header.Mode,
            bigUid ? 0 : header.Uid, bigGid ? 0 : header.Gid, bigSize ? 0 : header.Size,
            oddTime ? 0 : header.MtimeSeconds, linkBytes.AsSpan(0, Math.Min(100, linkBytes.Length)),
            header.DeviceMajor, header.DeviceMinor);
        output.Write(block);
    }

    /// <summary>Zeros up to the next 512-byte boundary after <paramref name="length"/> data bytes.</summary>
    public static void WritePadding(Stream output, long length)
    {
        int pad = (int)((BlockSize - (length % BlockSize)) % BlockSize);
        if (pad > 0) output.Write(stackalloc byte[pad]);
    }

    /// <summary>Two zero blocks end an archive.</summary>
    public static void WriteEnd(Stream output) => output.Write(stackalloc byte[BlockSize * 2]);

    // A fixed, content-derived name: GNU tar puts a pid in here, which breaks reproducibility.
    private static string PaxHeaderName(string name)
    {
        string baseName = name.TrimEnd('/');
        int slash = baseName.LastIndexOf('/');
        if (slash >= 0) baseName = baseName[(slash + 1)..];
        string result = "PaxHeaders/" + baseName;
        while (Encoding.UTF8.GetByteCount(result) > 100) result = result[..^1];
        return result;
    }

    private static void FillBlock(Span<byte> block, ReadOnlySpan<byte> name, byte typeFlag, int mode, int uid, int gid,
        long size, long mtime, ReadOnlySpan<byte> linkName, long devMajor, long devMinor)
    {
        block.Clear();
        name.CopyTo(block);
        WriteOctal(block.Slice(100, 8), mode & 0xFFF);
        WriteOctal(block.Slice(108, 8), uid);
        WriteOctal(block.Slice(116, 8), gid);
        WriteOctal(block.Slice(124, 12), size);
        WriteOctal(block.Slice(136, 12), mtime);
        block[156] = typeFlag;
        linkName.CopyTo(block.Slice(157, 100));
        "ustar\0"u8.CopyTo(block.Slice(257, 6));
        "00"u8.CopyTo(block.Slice(263, 2));
        if (typeFlag is TarTypeFlag.CharDevice or TarTypeFlag.BlockDevice)
        {
            WriteOctal(block.Slice(329, 8), devMajor);
            WriteOctal(block.Slice(337, 8), devMinor);
        }

        // The checksum is computed with its own field read as eight spaces.
        block.Slice(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (byte b in block) sum += b;
        WriteOctal(block.Slice(148, 7), sum);
    }

    /// <summary>Zero-padded octal, NUL-terminated, filling the field.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        int digits = field.Length - 1;
        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        field[digits] = 0;
        if (value != 0) throw new InvalidOperationException("tar field overflow");
    }

    private static void AddRecord(ArrayBufferWriter<byte> pax, string key, long value) =>
        AddRecord(pax, key, Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>"LEN KEY=VALUE\n" where LEN counts the whole record including its own digits.</summary>
    private static void AddRecord(ArrayBufferWriter<byte> pax, string key, ReadOnlySpan<byte> value)
    {
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        int rest = 1 + keyBytes.Length + 1 + value.Length + 1;
        int length = rest + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + rest != length) length++;
        Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture), pax);
        pax.Write(" "u8);
        pax.Write(keyBytes);
        pax.Write("="u8);
        pax.Write(value);
        pax.Write("\n"u8);
    }
}
