namespace Strata.Registry.Transport;

/// <summary>
/// A blob's body that survives a broken connection: when a read fails (a reset, a body that ends
/// before the blob's size), the bytes from the position reached on are asked for again with
/// <c>Range: bytes=N-</c> (<see cref="RegistryClient.OpenRangeAsync"/>: a 206 goes on where the
/// break was, a 200 from a registry that ignores ranges is read past what was already given).
/// The reader above sees one unbroken stream, so the <c>VerifyingReadStream</c> over it keeps
/// its running hash and checks the whole blob at its end. A break that makes no progress is
/// retried <c>maxBreaks</c> times in a row; any progress resets the count.
/// </summary>
internal sealed class ResumingBlobStream : Stream
{
    private readonly Func<long, CancellationToken, Task<Stream>> _reopen;
    private readonly long _size;
    private readonly int _maxBreaks;
    private readonly string _what;
    private Stream? _body;
    private long _position;
    private int _breaks;

    /// <param name="first">The body of the first request, positioned at <paramref name="position"/>.</param>
    /// <param name="reopen">The blob's bytes from an offset on, positioned there.</param>
    /// <param name="position">Where <paramref name="first"/> starts in the blob.</param>
    /// <param name="size">The blob's size: a body that ends before it is a break.</param>
    public ResumingBlobStream(Stream first, Func<long, CancellationToken, Task<Stream>> reopen, long position, long size, int maxBreaks, string what)
    {
        _body = first;
        _reopen = reopen;
        _position = position;
        _size = size;
        _maxBreaks = maxBreaks;
        _what = what;
    }

    /// <summary>How many times the stream went on after a break (tests and progress read it).</summary>
    public int Resumes { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A blob download cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    // Sync callers block on the async path: a resume is a new HTTP request either way.
    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            try
            {
                if (_body is null)
                {
                    _body = await _reopen(_position, cancellationToken).ConfigureAwait(false);
                    Resumes++;
                }
                int n = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0 && _position < _size) throw new EndOfStreamException($"the body ended after {_position} of {_size} bytes");
                if (n > 0) _breaks = 0;
                _position += n;
                return n;
            }
            catch (Exception e) when (IsBreak(e) && !cancellationToken.IsCancellationRequested)
            {
                if (_body is not null) await _body.DisposeAsync().ConfigureAwait(false);
                _body = null;
                if (++_breaks > _maxBreaks)
                    throw new RegistryException($"{_what}: the download broke off at byte {_position} of {_size} and did not resume ({Reason(e)})", e);
            }
        }
    }

    /// <summary>
    /// A broken connection or a short body while bytes flow. A request that cannot be sent at all
    /// is not one: the retry pipeline already tried it again, and its error says why.
    /// </summary>
    internal static bool IsBreak(Exception e) => e is IOException or HttpRequestException;

    private static string Reason(Exception e) => e.Message.TrimEnd('.');

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob download cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A blob download is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob download is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _body?.Dispose();
        _body = null;
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_body is not null) await _body.DisposeAsync().ConfigureAwait(false);
        _body = null;
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
