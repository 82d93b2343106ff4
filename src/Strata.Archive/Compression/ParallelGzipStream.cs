using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;
using Strata.Archive.IO;

namespace Strata.Archive.Compression;

/// <summary>
/// A write-only stream that gzips what it is given as ONE gzip member whose deflate data is a
/// run of independently compressed 1 MiB chunks (see <see cref="DeflateChunk"/>), compressed on
/// all cores at once (pigz's idea, without the shared window). An ordered writer thread sends
/// the chunks to the sink as they finish and keeps the CRC-32 and length for the trailer. At most
/// a few chunks per core are in flight, so memory stays bounded whatever the layer size.
/// Chunks that do not compress are stored, which costs about a copy. The output depends only on
/// the input and the level: the same with one core or sixteen, parallel or not.
/// The workers are threads of their own, not thread-pool tasks: a build keeps the pool busy
/// with blocking file work, and compression queued behind it waited for the pool to grow
/// (a 50 MB COPY layer took seconds longer).
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    internal const int ChunkSize = 1 << 20;

    // ID1 ID2 CM=deflate FLG=0 MTIME=0 (4 bytes) XFL=0 OS=3 (Unix): no name, no time, reproducible.
    private static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03];

    private readonly Stream _sink;
    private readonly int _level;
    private readonly bool _parallel;
    private readonly Crc32 _crc = new();
    private readonly BlockingCollection<Job>? _queue;
    private readonly BlockingCollection<Job>? _work;
    private readonly Task[] _workers = [];
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _writer = Task.CompletedTask;
    private byte[] _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _used;
    private long _length;
    private bool _completed;
    private Exception? _writerError;

    /// <param name="sink">Receives the gzip bytes (not disposed).</param>
    /// <param name="level">zlib level 0..9 for compressible chunks.</param>
    /// <param name="parallel">Compress on the thread pool and write on a thread of its own; when
    /// false everything happens on the caller's thread (same bytes).</param>
    public ParallelGzipStream(Stream sink, int level, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        _sink = sink;
        _level = level;
        _parallel = parallel;
        _sink.Write(Header);
        if (!parallel) return;
        int workers = Math.Max(1, Environment.ProcessorCount);
        _queue = new BlockingCollection<Job>(workers + 2);
        _work = new BlockingCollection<Job>();
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(CompressJobs, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        _writer = Task.Factory.StartNew(WriteChunks, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private readonly record struct Chunk(byte[] Input, int Count, byte[] Output, int Length);

    /// <summary>A chunk on its way: compressed by any worker, written in submission order.</summary>
    private sealed class Job(byte[] input, int count) : IDisposable
    {
        public byte[] Input { get; } = input;

        public int Count { get; } = count;

        // No spinning before sleeping: a chunk takes milliseconds, and on a busy machine spinning
        // only takes the core from the thread that would finish it.
        public ManualResetEventSlim Done { get; } = new(false, spinCount: 1);

        public Chunk Result { get; set; }

        public Exception? Error { get; set; }

        public void Dispose() => Done.Dispose();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, ChunkSize - _used);
            buffer[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == ChunkSize) Submit();
        }
    }

    /// <summary>Compresses what is left, waits for every chunk to be written, then writes the
    /// final block and the trailer (CRC-32, length mod 2^32).</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Submit();
        _completed = true;
        if (_queue is not null)
        {
            _queue.CompleteAdding();
            _work!.CompleteAdding();
            _writer.GetAwaiter().GetResult();
            ThrowIfWriterFailed();
        }
        Span<byte> trailer = stackalloc byte[10];
        DeflateChunk.FinalEmptyBlock.CopyTo(trailer);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[2..], _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[6..], unchecked((uint)_length));
        _sink.Write(trailer);
    }

    private void Submit()
    {
        if (_used == 0) return;
        byte[] input = _current;
        int count = _used;
        _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        _used = 0;
        if (_queue is null)
        {
            Emit(Compress(input, count, _level));
            return;
        }
        var job = new Job(input, count);
        try
        {
            // The ordered queue is bounded: this blocks while the writer is behind, which bounds memory.
            _queue.Add(job, _failed.Token);
        }
        catch (OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(input);
            job.Dispose();
            ThrowIfWriterFailed();
            throw;
        }
        _work!.Add(job);
    }

    private void CompressJobs()
    {
        foreach (var job in _work!.GetConsumingEnumerable())
        {
            try
            {
                job.Result = Compress(job.Input, job.Count, _level);
            }
            catch (Exception e)
            {
                job.Error = e;
            }
            job.Done.Set();
        }
    }

    private static Chunk Compress(byte[] input, int count, int level)
    {
        try
        {
            var (output, length) = DeflateChunk.Encode(input.AsSpan(0, count), level);
            return new Chunk(input, count, output, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(input);
            throw;
        }
    }

    private void WriteChunks()
    {
        var queue = _queue!;
        try
        {
            foreach (var job in queue.GetConsumingEnumerable(_failed.Token))
            {
                using (job)
                {
                    job.Done.Wait();
                    if (job.Error is { } e) throw new IOException("layer compression failed: " + e.Message, e);
                    Emit(job.Result);
                }
            }
        }
        catch (Exception e)
        {
            _writerError = e;
            _failed.Cancel();
            // Release what is still queued so no pooled buffer is lost.
            while (queue.TryTake(out var left))
            {
                using (left)
                {
                    left.Done.Wait();
                    if (left.Error is null) Release(left.Result);
                }
            }
        }
    }

    private void Emit(Chunk chunk)
    {
        try
        {
            _crc.Append(chunk.Input.AsSpan(0, chunk.Count));
            _length += chunk.Count;
            _sink.Write(chunk.Output, 0, chunk.Length);
        }
        finally
        {
            Release(chunk);
        }
    }

    private static void Release(Chunk chunk)
    {
        ArrayPool<byte>.Shared.Return(chunk.Input);
        if (chunk.Output.Length > 0) ArrayPool<byte>.Shared.Return(chunk.Output);
    }

    private void ThrowIfWriterFailed()
    {
        if (_writerError is { } e) throw new IOException("layer compression failed: " + e.Message, e);
    }

    /// <summary>Stops the writer without a trailer when <see cref="Complete"/> was not called (a
    /// failed layer); the sink then holds an unfinished stream its owner must discard.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_queue is not null)
            {
                if (!_queue.IsAddingCompleted)
                {
                    _failed.Cancel();
                    _queue.CompleteAdding();
                }
                if (!_work!.IsAddingCompleted) _work.CompleteAdding();
                Task.WaitAll(_workers);
                try
                {
                    _writer.GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
                {
                    // already reported by Complete or by the producer's own failure
                }
                _queue.Dispose();
                _work.Dispose();
            }
            if (_current.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = [];
            }
            _failed.Dispose();
        }
        base.Dispose(disposing);
    }
}
