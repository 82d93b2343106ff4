using System.Threading.Channels;
using Strata.Archive;

namespace Strata.Images.Layers;

/// <summary>
/// The second branch of a layer blob's single pass into the store: each chunk the first branch
/// wrote to the ingest is handed over (the buffer itself, not a copy) to a thread-pool thread that
/// decompresses, hashes and walks it as a tar, so checking the diff ID costs no second read of the
/// blob and runs beside the download. A few fixed buffers go round between the two branches, so
/// the memory of a layer in flight is <see cref="Buffers"/> x <see cref="ChunkSize"/> and the
/// pass allocates nothing per chunk (a copying pipe made 500 MB of garbage per 500 MB pulled and
/// doubled the peak RSS). A measurer that failed early (not a tar) stops taking chunks, so the
/// writer can finish the blob and have its digest checked first.
/// </summary>
internal sealed class MeasuringTee
{
    public const int ChunkSize = 1 << 20;
    private const int Buffers = 3;

    private readonly Channel<byte[]> _free = Channel.CreateBounded<byte[]>(Buffers);
    private readonly Channel<ArraySegment<byte>> _full = Channel.CreateBounded<ArraySegment<byte>>(Buffers);
    private volatile bool _readerDone;
    private bool _writerDone;

    /// <param name="what">Names the layer in the measurer's errors.</param>
    public MeasuringTee(string what, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Buffers; i++) _free.Writer.TryWrite(new byte[ChunkSize]);
        Measurement = Task.Run(() => MeasureAsync(what, cancellationToken), CancellationToken.None);
    }

    /// <summary>The diff ID and content size of every chunk handed over, once <see cref="CompleteAsync"/> was called.</summary>
    public Task<LayerMeasurement> Measurement { get; }

    /// <summary>A buffer to read the next chunk into; it belongs to the caller until <see cref="HandOver"/>.</summary>
    public ValueTask<byte[]> RentAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    /// <summary>Gives the first <paramref name="count"/> bytes of <paramref name="buffer"/> to the measurer (or back to the free list when it stopped).</summary>
    public async ValueTask HandOverAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        if (_readerDone || !_full.Writer.TryWrite(new ArraySegment<byte>(buffer, 0, count)) && !await TryWriteAsync(buffer, count, cancellationToken).ConfigureAwait(false))
            _free.Writer.TryWrite(buffer);
    }

    private async ValueTask<bool> TryWriteAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        try
        {
            await _full.Writer.WriteAsync(new ArraySegment<byte>(buffer, 0, count), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Ends the chunks (with <paramref name="failure"/>, the measurer fails with it).</summary>
    public ValueTask CompleteAsync(Exception? failure)
    {
        if (_writerDone) return ValueTask.CompletedTask;
        _writerDone = true;
        _full.Writer.TryComplete(failure);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the measurer with <paramref name="failure"/> and waits for it, whatever it ends with.</summary>
    public async Task AbandonAsync(Exception failure)
    {
        await CompleteAsync(failure).ConfigureAwait(false);
        try
        {
            await Measurement.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The caller reports its own failure; the measurer's is a consequence of it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<LayerMeasurement> MeasureAsync(string what, CancellationToken cancellationToken)
    {
        var stream = new ChunkStream(this);
        try
        {
            return await LayerReader.MeasureAsync(stream, new LayerReadOptions { LayerName = what }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Chunks still queued go back, and the writer stops handing any over.
            _readerDone = true;
            _full.Writer.TryComplete();
            stream.Release();
            while (_full.Reader.TryRead(out var left)) _free.Writer.TryWrite(left.Array!);
        }
    }

    /// <summary>The handed-over chunks as a forward-only stream; each buffer goes back to the free list once read.</summary>
    private sealed class ChunkStream(MeasuringTee tee) : Stream
    {
        private ArraySegment<byte> _current;
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_current.Array is null || _offset == _current.Count)
            {
                Release();
                if (!await tee._full.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
                if (tee._full.Reader.TryRead(out var next))
                {
                    _current = next;
                    _offset = 0;
                }
            }
            int n = Math.Min(buffer.Length, _current.Count - _offset);
            _current.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Gives the buffer being read back to the free list.</summary>
        public void Release()
        {
            if (_current.Array is { } done) tee._free.Writer.TryWrite(done);
            _current = default;
            _offset = 0;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
