using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// The layer writes of one cache export, up to the target's <see cref="ICacheTarget.ConcurrentLayers"/>
/// at once, started as the exporter finds them (so the next layer's compression overlaps the
/// uploads before it). The first failure cancels the rest; <see cref="WaitAsync"/> throws it,
/// not the cancellations it caused, and returns only when no write is left running.
/// </summary>
internal sealed class LayerUploads : IDisposable
{
    private readonly ICacheTarget _target;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _failed;
    private readonly List<Task> _writes = [];

    public LayerUploads(ICacheTarget target, CancellationToken cancellationToken)
    {
        _target = target;
        _slots = new SemaphoreSlim(Math.Max(1, target.ConcurrentLayers));
        _failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public void Start(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open) => _writes.Add(WriteAsync(layer, diffId, open));

    private async Task WriteAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open)
    {
        var ct = _failed.Token;
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _target.WriteLayerAsync(layer, diffId, open, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_failed.IsCancellationRequested)
        {
            await _failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Waits for every write started; throws the first real failure.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.WhenAll(_writes).ConfigureAwait(false);
        }
        catch (Exception) when (_writes.FirstOrDefault(w => w.IsFaulted && w.Exception!.InnerException is not OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first.Exception!.InnerException!);
        }
    }

    /// <summary>Stops the writes still running (the export failed elsewhere) and waits for them, whatever they end with.</summary>
    public async Task AbandonAsync()
    {
        await _failed.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_writes).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The export reports its own failure; these are consequences of it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _failed.Dispose();
    }
}
