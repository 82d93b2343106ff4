using System.Globalization;
using System.Text;

namespace Strata.Images.Archives;

/// <summary>
/// Writes the outer tar of a saved image archive (directories and regular files of known size)
/// straight to a stream, so blobs are copied from the store without staging. Names longer than
/// ustar allows get a PAX header.
/// </summary>
internal sealed class TarStreamWriter
{
    private const int Block = 512;
    private readonly Stream _output;
    private readonly long _mtime;

    public TarStreamWriter(Stream output, DateTimeOffset mtime)
    {
        _output = output;
        _mtime = Math.Max(0, mtime.ToUnixTimeSeconds());
    }

    public Task WriteDirectoryAsync(string name, CancellationToken cancellationToken) =>
        WriteHeaderAsync(name.TrimEnd('/') + "/", '5', 0, 0x1ED /* 0755 */, cancellationToken);

    public async Task WriteFileAsync(string name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(name, '0', data.Length, 0x1A4 /* 0644 */, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await PadAsync(data.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies exactly <paramref name="size"/> bytes from <paramref name="data"/>; a shorter stream is an error.</summary>
    public async Task WriteFileAsync(string name, Stream data, long size, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(name, '0', size, 0x1A4, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        long left = size;
        while (left > 0)
        {
            int n = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IOException($"{name}: source ended {left} bytes early");
            await _output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            left -= n;
        }
        await PadAsync(size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The two zero blocks that end a tar archive.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(new byte[Block * 2], cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteHeaderAsync(string name, char type, long size, int mode, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(name) > 100)
        {
            var record = PaxRecord("path", name);
            await WriteRawHeaderAsync("PaxHeader", 'x', record.Length, 0x1A4, cancellationToken).ConfigureAwait(false);
            await _output.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            await PadAsync(record.Length, cancellationToken).ConfigureAwait(false);
            name = name[..Math.Min(name.Length, 99)];
        }
        await WriteRawHeaderAsync(name, type, size, mode, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRawHeaderAsync(string name, char type, long size, int mode, CancellationToken cancellationToken)
    {
        var header = new byte[Block];
        Encoding.UTF8.GetBytes(name.AsSpan(), header.AsSpan(0, 100));
        Octal(header.AsSpan(100, 8), mode);
        Octal(header.AsSpan(108, 8), 0);
        Octal(header.AsSpan(116, 8), 0);
        Octal(header.AsSpan(124, 12), size);
        Octal(header.AsSpan(136, 12), _mtime);
        header[156] = (byte)type;
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        header.AsSpan(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (var b in header) sum += b;
        Octal(header.AsSpan(148, 7), sum);
        await _output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
    }

    private static void Octal(Span<byte> field, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(text, field);
        field[^1] = 0;
    }

    private static byte[] PaxRecord(string key, string value)
    {
        // "LEN key=value\n" where LEN counts itself.
        int body = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3;
        int len = body + body.ToString(CultureInfo.InvariantCulture).Length;
        if (len.ToString(CultureInfo.InvariantCulture).Length != body.ToString(CultureInfo.InvariantCulture).Length) len++;
        return Encoding.UTF8.GetBytes($"{len.ToString(CultureInfo.InvariantCulture)} {key}={value}\n");
    }

    private Task PadAsync(long size, CancellationToken cancellationToken)
    {
        int pad = (int)((Block - (size % Block)) % Block);
        return pad == 0 ? Task.CompletedTask : _output.WriteAsync(new byte[pad], cancellationToken).AsTask();
    }
}
