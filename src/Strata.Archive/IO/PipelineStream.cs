using System.Buffers;
using System.Collections.Concurrent;

namespace Strata.Archive.IO;

/// <summary>
/// A write-only stream that hands its bytes to <c>sink</c> in 1 MiB chunks, on a second thread
/// when <c>parallel</c>: the tar producer (file reads, headers, diffID hashing) and the
/// compressor then run on two cores at once; at most <see cref="Depth"/> chunks are in flight,
/// so memory stays bounded whatever the layer size. Chunking happens in both modes because
/// zlib-ng's fast levels emit different (valid) streams for different write sizes: fixed
/// chunks make the compressed digest independent of how the tar was produced.
/// </summary>
internal sealed class PipelineStream : WriteOnlyStream
{
    private const int ChunkSize = 1 << 20;
    private const int Depth = 4;
    private readonly BlockingCollection<(byte[] Buffer, int Count)> _queue = new(Depth);
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _consumer;
    private readonly Stream? _inlineSink;
    private byte[] _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _used;
    private Exception? _consumerError;

    public PipelineStream(Stream sink, bool parallel)
    {
        if (!parallel)
        {
            _inlineSink = sink;
            _consumer = Task.CompletedTask;
            return;
        }
        _consumer = Task.Factory.StartNew(() => Consume(sink), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Consume(Stream sink)
    {
        try
        {
            foreach (var (buffer, count) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    sink.Write(buffer, 0, count);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _consumerError = e;
            _failed.Cancel();
        }
    }

    /// <summary>Sends the last chunk and waits until the consumer has written everything.</summary>
    public void Complete()
    {
        Send();
        _queue.CompleteAdding();
        _consumer.GetAwaiter().GetResult();
        if (_consumerError is not null) throw new IOException("layer compression failed: " + _consumerError.Message, _consumerError);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, ChunkSize - _used);
            buffer[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == ChunkSize) Send();
        }
    }

    private void Send()
    {
        if (_used == 0) return;
        if (_inlineSink is not null)
        {
            _inlineSink.Write(_current, 0, _used);
            _used = 0;
            return;
        }
        try
        {
            _queue.Add((_current, _used), _failed.Token);
        }
        catch (OperationCanceledException)
        {
            throw new IOException("layer compression failed: " + _consumerError?.Message, _consumerError);
        }
        _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        _used = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
            try
            {
                _consumer.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // already reported by Complete or by the producer's own failure
            }
            ArrayPool<byte>.Shared.Return(_current);
            _queue.Dispose();
            _failed.Dispose();
        }
        base.Dispose(disposing);
    }
}
