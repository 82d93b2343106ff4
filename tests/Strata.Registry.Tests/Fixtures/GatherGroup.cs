namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// The meeting point of <see cref="ProxyFault.Gather"/> faults: released once <see cref="Count"/>
/// requests arrived. The timeout only ends a wait that would otherwise never end (requests sent
/// one after another); the test then fails on the <c>alone</c> outcome, never on a duration.
/// </summary>
public sealed class GatherGroup(int count)
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Count => count;

    /// <summary>True when the whole group arrived, false when this request waited in vain.</summary>
    public async Task<bool> ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) >= count) _all.TrySetResult();
        try
        {
            await _all.Task.WaitAsync(GiveUp, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
