namespace Strata.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread, in order.
/// (<see cref="Progress{T}"/> posts each report to the thread pool, where they may run out of order
/// and after the operation ended.) The handler must be thread-safe when reports come from several threads.
/// </summary>
public sealed class InlineProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    public InlineProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    public void Report(T value) => _handler(value);
}
