using System.Buffers;
using System.Globalization;
using System.Text;
using Strata.Core;

namespace Strata.Images.Archives;

/// <summary>
/// Random access into an image archive (docker save, OCI layout tar): one pass over the headers
/// records where each member's data lies, so manifest.json can be read first even when it is
/// the last member and layers are streamed from the file without extracting them. Names are
/// normalized (<c>./</c> stripped); links are resolved inside the archive only.
/// </summary>
internal sealed class TarIndex : IDisposable
{
    private const int Block = 512;
    private const int MaxMetadataBytes = 1 << 20;
    private readonly Dictionary<string, TarIndexEntry> _entries;
    private readonly FileStream _file;
    private readonly string _archiveName;

    private TarIndex(FileStream file, Dictionary<string, TarIndexEntry> entries, string archiveName)
    {
        _file = file;
        _entries = entries;
        _archiveName = archiveName;
    }

    public IReadOnlyCollection<TarIndexEntry> Entries => _entries.Values;

    public void Dispose() => _file.Dispose();

    public static async Task<TarIndex> BuildAsync(string path, string archiveName, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        try
        {
            var entries = await ReadHeadersAsync(file, archiveName, cancellationToken).ConfigureAwait(false);
            return new TarIndex(file, entries, archiveName);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Dictionary<string, TarIndexEntry>> ReadHeadersAsync(FileStream file, string archiveName, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, TarIndexEntry>(StringComparer.Ordinal);
        var header = new byte[Block];
        string? longName = null, longLink = null;
        Dictionary<string, string>? pax = null;
        long position = 0;
        long length = file.Length;
        while (position + Block <= length)
        {
            file.Position = position;
            await file.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0) break; // end-of-archive marker
            if (!ChecksumOk(header)) throw Invalid(archiveName, $"bad tar header checksum at offset {position}");
            char type = (char)header[156];
            long size = ParseNumber(header.AsSpan(124, 12), archiveName);
            long dataOffset = position + Block;
            if (size < 0 || dataOffset + size > length) throw Invalid(archiveName, $"tar member at offset {position} is truncated");
            position = dataOffset + ((size + Block - 1) / Block * Block);

            switch (type)
            {
                case 'L':
                case 'K':
                case 'x':
                    {
                        if (size > MaxMetadataBytes) throw Invalid(archiveName, $"tar metadata header of {size} bytes is too large");
                        var data = new byte[size];
                        file.Position = dataOffset;
                        await file.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                        if (type == 'L') longName = CString(data);
                        else if (type == 'K') longLink = CString(data);
                        else pax = ParsePax(data, archiveName);
                        continue;
                    }
                case 'g':
                    continue;
            }

            string name = longName ?? UstarName(header);
            string link = longLink ?? CString(header.AsSpan(157, 100));
            if (pax is not null)
            {
                if (pax.TryGetValue("path", out var p)) name = p;
                if (pax.TryGetValue("linkpath", out var lp)) link = lp;
                if (pax.TryGetValue("size", out var s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var paxSize))
                {
                    size = paxSize;
                    position = dataOffset + ((size + Block - 1) / Block * Block);
                    if (dataOffset + size > length) throw Invalid(archiveName, $"tar member {name} is truncated");
                }
            }
            longName = longLink = null;
            pax = null;
            var normalized = Normalize(name);
            if (normalized.Length == 0) continue;
            entries[normalized] = new TarIndexEntry(normalized, type, dataOffset, size, link);
        }
        return entries;
    }

    /// <summary>The member called <paramref name="name"/> after following links inside the archive, or null.</summary>
    public TarIndexEntry? Find(string name)
    {
        var current = Normalize(name);
        for (int hops = 0; hops < 16; hops++)
        {
            if (!_entries.TryGetValue(current, out var entry)) return null;
            if (entry.IsRegular) return entry;
            if (entry.IsHardlink) { current = Normalize(entry.LinkName); continue; }
            if (entry.IsSymlink)
            {
                var dir = Path.GetDirectoryName(current) ?? "";
                var target = entry.LinkName.StartsWith('/') ? entry.LinkName : Path.Combine(dir, entry.LinkName);
                var resolved = Resolve(target) ?? throw Invalid(_archiveName, $"{current} links outside the archive ({entry.LinkName})");
                current = resolved;
                continue;
            }
            return null;
        }
        throw Invalid(_archiveName, $"too many links resolving {name}");
    }

    /// <summary>A read-only stream over the data of member <paramref name="name"/>; NotFound if absent.</summary>
    public Stream Open(string name)
    {
        var entry = Find(name) ?? throw new NotFoundException($"{_archiveName}: no file {name} in the archive");
        return new FileSlice(_file.SafeFileHandle, entry.DataOffset, entry.Size);
    }

    public async Task<byte[]> ReadAllAsync(string name, long maxBytes, CancellationToken cancellationToken)
    {
        var entry = Find(name) ?? throw new NotFoundException($"{_archiveName}: no file {name} in the archive");
        if (entry.Size > maxBytes) throw Invalid(_archiveName, $"{name} is {entry.Size} bytes, more than the {maxBytes} allowed");
        var data = new byte[entry.Size];
        await RandomAccess.ReadAsync(_file.SafeFileHandle, data, entry.DataOffset, cancellationToken).ConfigureAwait(false);
        return data;
    }

    public bool Contains(string name) => Find(name) is not null;

    /// <summary>Lexically normalizes an archive path; null when it climbs above the archive root.</summary>
    private static string? Resolve(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static string Normalize(string name) => Resolve(name) ?? "";

    private static string UstarName(byte[] header)
    {
        var name = CString(header.AsSpan(0, 100));
        bool ustar = header.AsSpan(257, 5).SequenceEqual("ustar"u8);
        if (ustar)
        {
            var prefix = CString(header.AsSpan(345, 155));
            if (prefix.Length > 0) name = prefix + "/" + name;
        }
        return name;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    private static long ParseNumber(ReadOnlySpan<byte> field, string archiveName)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: big-endian two's complement in the remaining bits.
            long value = field[0] & 0x7f;
            for (int i = 1; i < field.Length; i++) value = checked((value << 8) | field[i]);
            return value;
        }
        var text = CString(field).Trim(' ', '\0');
        if (text.Length == 0) return 0;
        try
        {
            return Convert.ToInt64(text, 8);
        }
        catch (FormatException)
        {
            throw Invalid(archiveName, $"bad number \"{text}\" in a tar header");
        }
    }

    private static bool ChecksumOk(byte[] header)
    {
        long stored;
        var text = CString(header.AsSpan(148, 8)).Trim(' ', '\0');
        try
        {
            stored = Convert.ToInt64(text, 8);
        }
        catch (FormatException)
        {
            return false;
        }
        long unsigned = 0, signed = 0;
        for (int i = 0; i < Block; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return stored == unsigned || stored == signed;
    }

    private static Dictionary<string, string> ParsePax(byte[] data, string archiveName)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        int pos = 0;
        while (pos < data.Length)
        {
            int space = Array.IndexOf(data, (byte)' ', pos);
            if (space < 0) break;
            if (!int.TryParse(Encoding.ASCII.GetString(data, pos, space - pos), NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len <= 0 || pos + len > data.Length)
                throw Invalid(archiveName, "bad PAX record in a tar header");
            var record = Encoding.UTF8.GetString(data, space + 1, pos + len - space - 2);
            int eq = record.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) records[record[..eq]] = record[(eq + 1)..];
            pos += len;
        }
        return records;
    }

    private static InvalidArgumentException Invalid(string archiveName, string what) => new($"{archiveName}: {what}");
}
