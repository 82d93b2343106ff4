using System.Collections.Concurrent;
using Strata.Build.Cache;

namespace Strata.Build.Engine;

/// <summary>
/// One step per cache key at a time across the platform builds of a multi-platform build: the
/// second platform to reach a key waits until the first has decided, run and recorded it, then
/// looks it up and hits. A step takes its turn only after its inputs are read (a COPY --from's
/// source stage is built by then), so holding a turn never waits on another stage.
/// </summary>
internal sealed class CacheKeyTurns
{
    private readonly ConcurrentDictionary<CacheKey, SemaphoreSlim> _turns = new();

    /// <summary>Waits for <paramref name="key"/>'s turn; disposing the result ends it.</summary>
    public async Task<IDisposable> TakeAsync(CacheKey key, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) turn.Release();
        }
    }
}
