using System.Text;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// Reads HTTP/1.1 off a socket stream as it is on the wire: header blocks as lines, bodies as
/// raw bytes (Content-Length, chunked, or up to the close), so a proxy can pass them on byte for
/// byte and stop wherever a test wants.
/// </summary>
public sealed class HttpWireReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 << 10];
    private int _start;
    private int _end;

    /// <summary>The lines of a header block (start line first, no empty line); null when the peer closed before one began.</summary>
    public async Task<List<string>?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(cancellationToken)) return null;
        // A TLS hello (a client trying https first) is not HTTP: refuse it at once rather than wait for a line.
        if (!char.IsAsciiLetterUpper((char)_buffer[_start]) && _buffer[_start] is not ((byte)'\r' or (byte)'\n'))
            throw new IOException("not an HTTP/1.1 message");
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                if (lines.Count == 0) return null;
                throw new IOException("the connection closed inside a header block");
            }
            if (line.Length == 0)
            {
                if (lines.Count == 0) continue;
                return lines;
            }
            lines.Add(line);
        }
    }

    /// <summary>
    /// Passes a body on to <paramref name="write"/> as raw wire bytes: <paramref name="length"/>
    /// bytes, or chunks up to the last one and its trailers when <paramref name="chunked"/>, or
    /// everything up to the close when neither is known.
    /// </summary>
    public async Task CopyBodyAsync(long? length, bool chunked, Func<ReadOnlyMemory<byte>, Task> write, CancellationToken cancellationToken)
    {
        if (chunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("the connection closed inside a chunked body");
                await write(Encoding.ASCII.GetBytes(sizeLine + "\r\n"));
                long size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (true)
                    {
                        var trailer = await ReadLineAsync(cancellationToken) ?? throw new IOException("the connection closed inside chunk trailers");
                        await write(Encoding.ASCII.GetBytes(trailer + "\r\n"));
                        if (trailer.Length == 0) return;
                    }
                }
                await CopyExactlyAsync(size + 2, write, cancellationToken);
            }
        }
        if (length is long known)
        {
            await CopyExactlyAsync(known, write, cancellationToken);
            return;
        }
        while (await FillAsync(cancellationToken))
        {
            await write(_buffer.AsMemory(_start, _end - _start));
            _start = _end;
        }
    }

    private async Task CopyExactlyAsync(long count, Func<ReadOnlyMemory<byte>, Task> write, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) throw new IOException($"the connection closed {count} bytes before the body's end");
            int n = (int)Math.Min(count, _end - _start);
            await write(_buffer.AsMemory(_start, n));
            _start += n;
            count -= n;
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) return line.Length == 0 ? null : line.ToString();
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            line.Append(Encoding.ASCII.GetString(_buffer, _start, stop - _start));
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0) return line.ToString().TrimEnd('\r');
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start < _end) return true;
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
