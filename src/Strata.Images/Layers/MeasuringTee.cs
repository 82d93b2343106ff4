using System.IO.Pipelines;
using Strata.Archive;

namespace Strata.Images.Layers;

/// <summary>
/// The second branch of a layer blob's single pass into the store: the bytes written here are
/// decompressed, hashed and walked as a tar on a thread-pool thread while the first branch
/// writes them to the ingest, so checking the diff ID costs no second read of the blob and runs
/// beside the download. At most <see cref="PauseBytes"/> wait between the two; a measurer that
/// failed early (not a tar) stops taking bytes, so the writer can finish the blob and have its
/// digest checked first.
/// </summary>
internal sealed class MeasuringTee
{
    private const long PauseBytes = 8 << 20;

    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));
    private bool _readerDone;
    private bool _writerDone;

    /// <param name="what">Names the layer in the measurer's errors.</param>
    public MeasuringTee(string what, CancellationToken cancellationToken)
    {
        Measurement = Task.Run(() => MeasureAsync(what, cancellationToken), CancellationToken.None);
    }

    /// <summary>The diff ID and content size of every byte written, once <see cref="CompleteAsync"/> was called.</summary>
    public Task<LayerMeasurement> Measurement { get; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_readerDone) return;
        var result = await _pipe.Writer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted) _readerDone = true;
    }

    /// <summary>Ends the bytes: the measurer reads to their end.</summary>
    public async ValueTask CompleteAsync(Exception? failure)
    {
        if (_writerDone) return;
        _writerDone = true;
        await _pipe.Writer.CompleteAsync(failure).ConfigureAwait(false);
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
        // Disposing the stream completes the reader, which tells the writer to stop feeding it.
        var stream = _pipe.Reader.AsStream();
        await using (stream.ConfigureAwait(false))
            return await LayerReader.MeasureAsync(stream, new LayerReadOptions { LayerName = what }, cancellationToken).ConfigureAwait(false);
    }
}
