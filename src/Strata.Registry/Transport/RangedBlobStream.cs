using System.Buffers;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Registry.Transport;

/// <summary>
/// A big blob fetched as several range requests at once (<see cref="ParallelRanges"/>): each
/// part's worker writes what it receives at its offset into a scratch file, and this stream reads
/// the file back in order, waiting where the part under its position has not arrived yet. So
/// the reader above (a <c>VerifyingReadStream</c>, then the store's ingest) sees one stream in
/// order and verifies the whole blob, while memory stays at one buffer per part: bytes live in
/// the file (the page cache), never in a buffer the size of a layer. A part whose connection
/// breaks resumes from where it got to, as <see cref="ResumingBlobStream"/> does; a part that
/// cannot resume fails the read that reaches it. Disposing stops the workers and closes the
/// file, which is already unlinked, so nothing is left behind even by a killed process.
/// </summary>
internal sealed class RangedBlobStream : BlobDownloadStream
{
    private const int BufferSize = 128 << 10;
    private readonly SafeFileHandle _file;
    private readonly Part[] _parts;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _pulse = NewPulse();
    private bool _disposed;

    /// <param name="file">An unlinked scratch file of at least <paramref name="size"/> bytes, owned by this stream from now on.</param>
    /// <param name="first">The body of the first part's request, positioned at 0.</param>
    /// <param name="openRange">The blob's bytes from one offset to another (inclusive), positioned at the first.</param>
    public RangedBlobStream(SafeFileHandle file, long size, int parts, Stream first, Func<long, long, CancellationToken, Task<Stream>> openRange, int maxBreaks, string what)
        : base(size)
    {
        _file = file;
        long partSize = (size + parts - 1) / parts;
        _parts = [.. Enumerable.Range(0, parts).Select(i => new Part(i * partSize, Math.Min(size, (i + 1) * partSize))).Where(p => p.End > p.Start)];
        _workers = [.. _parts.Select((part, i) => Task.Run(() => FetchAsync(part, i == 0 ? first : null, openRange, maxBreaks, what, _stop.Token)))];
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || Received >= Size) return 0;
        var part = _parts.First(p => Received < p.End);
        while (true)
        {
            // Taken before looking, so a write that lands in between still wakes the wait.
            var pulse = Volatile.Read(ref _pulse).Task;
            long available = part.Start + Volatile.Read(ref part.Written) - Received;
            if (available > 0)
            {
                int n = await RandomAccess.ReadAsync(_file, buffer[..(int)Math.Min(buffer.Length, available)], Received, cancellationToken).ConfigureAwait(false);
                Received += n;
                return n;
            }
            if (Volatile.Read(ref part.Error) is { } error) ExceptionDispatchInfo.Throw(error);
            await pulse.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            // Workers record their own failures; waiting only makes sure none writes to a closed file.
            Task.WhenAll(_workers).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).GetAwaiter().GetResult();
            _file.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_workers).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            _file.Dispose();
            _stop.Dispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task FetchAsync(Part part, Stream? body, Func<long, long, CancellationToken, Task<Stream>> openRange, int maxBreaks, string what, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int breaks = 0;
        try
        {
            while (part.Written < part.End - part.Start)
            {
                try
                {
                    body ??= await openRange(part.Start + part.Written, part.End - 1, cancellationToken).ConfigureAwait(false);
                    // Never past the part's end: a registry that ignored the range sends the rest of the blob.
                    int want = (int)Math.Min(buffer.Length, part.End - part.Start - part.Written);
                    int n = await body.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    if (n == 0) throw new EndOfStreamException($"the body ended at byte {part.Start + part.Written}, before the range's end at {part.End - 1}");
                    await RandomAccess.WriteAsync(_file, buffer.AsMemory(0, n), part.Start + part.Written, cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref part.Written, part.Written + n);
                    breaks = 0;
                    Pulse();
                }
                catch (Exception e) when (ResumingBlobStream.IsBreak(e) && !cancellationToken.IsCancellationRequested)
                {
                    if (body is not null) await body.DisposeAsync().ConfigureAwait(false);
                    body = null;
                    if (++breaks > maxBreaks)
                        throw new RegistryException($"{what}: the download of bytes {part.Start}-{part.End - 1} broke off at byte {part.Start + part.Written} and did not resume ({e.Message.TrimEnd('.')})", e);
                }
            }
        }
#pragma warning disable CA1031 // a part's failure is the reader's to throw when it reaches the part
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref part.Error, e);
            Pulse();
        }
        finally
        {
            if (body is not null) await body.DisposeAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Pulse() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One range [Start, End) and how much of it is in the file; only its worker writes it.</summary>
    private sealed class Part(long start, long end)
    {
        public long Start { get; } = start;

        public long End { get; } = end;

        public long Written;

        public Exception? Error;
    }
}
