using Strata.Core;

namespace Strata.Registry.Transport;

/// <summary>
/// A blob's body that survives a broken connection: when a read fails (a reset, a body that ends
/// before the blob's size), the bytes from the position reached on are asked for again with
/// <c>Range: bytes=N-</c> (<see cref="RegistryClient.OpenRangeAsync"/>: a 206 goes on where the
/// break was, a 200 from a registry that ignores ranges is read past what was already given).
/// The reader above sees one unbroken stream of exactly the blob's size (a body that goes on past
/// it is refused before a byte too many is given), so whoever hashes it (a <c>VerifyingReadStream</c>, the store's
/// ingest) hashes the whole blob once. A break that makes no progress is retried
/// <c>maxBreaks</c> times in a row; any progress resets the count.
/// </summary>
internal sealed class ResumingBlobStream : BlobDownloadStream
{
    private readonly Func<long, CancellationToken, Task<Stream>> _reopen;
    private readonly int _maxBreaks;
    private readonly string _what;
    private Stream? _body;
    private int _breaks;

    /// <param name="first">The body of the first request, positioned at <paramref name="position"/>.</param>
    /// <param name="reopen">The blob's bytes from an offset on, positioned there.</param>
    /// <param name="position">Where <paramref name="first"/> starts in the blob.</param>
    /// <param name="size">The blob's size: a body that ends before it is a break, one that goes past it is refused.</param>
    public ResumingBlobStream(Stream first, Func<long, CancellationToken, Task<Stream>> reopen, long position, long size, int maxBreaks, string what)
        : base(size)
    {
        _body = first;
        _reopen = reopen;
        Received = position;
        _maxBreaks = maxBreaks;
        _what = what;
    }

    /// <summary>How many times the stream went on after a break (tests and progress read it).</summary>
    public int Resumes { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            try
            {
                if (_body is null)
                {
                    _body = await _reopen(Received, cancellationToken).ConfigureAwait(false);
                    Resumes++;
                }
                // The size cap: never more than the blob's rest is asked for, so nothing past the
                // descriptor's size reaches the reader (nor the disk); at the end one byte more is
                // asked only to tell the body's end from a body that goes on.
                var want = Received < Size ? buffer[..(int)Math.Min(buffer.Length, Size - Received)] : buffer[..1];
                int n = await _body.ReadAsync(want, cancellationToken).ConfigureAwait(false);
                if (n == 0 && Received < Size) throw new EndOfStreamException($"the body ended after {Received} of {Size} bytes");
                if (n > 0 && Received == Size) throw new DigestMismatchException($"{_what} is longer than the {Size} bytes its descriptor says");
                if (n > 0) _breaks = 0;
                Received += n;
                return n;
            }
            catch (Exception e) when (IsBreak(e) && !cancellationToken.IsCancellationRequested)
            {
                if (_body is not null) await _body.DisposeAsync().ConfigureAwait(false);
                _body = null;
                if (++_breaks > _maxBreaks)
                    throw new RegistryException($"{_what}: the download broke off at byte {Received} of {Size} and did not resume ({e.Message.TrimEnd('.')})", e);
            }
        }
    }

    /// <summary>
    /// A broken connection or a short body while bytes flow. A request that cannot be sent at all
    /// is not one: the retry pipeline already tried it again, and its error says why.
    /// </summary>
    internal static bool IsBreak(Exception e) => e is IOException or HttpRequestException;

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
