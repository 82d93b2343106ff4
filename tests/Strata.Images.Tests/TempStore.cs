using Strata.Images;

namespace Strata.Images.Tests;

/// <summary>A fresh store in a temp directory with a fixed clock, removed afterwards.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    public static readonly DateTimeOffset FixedNow = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir;

    private TempStore(TempDir dir, ImageStore store)
    {
        _dir = dir;
        Store = store;
    }

    public string Root => _dir.Path;

    public ImageStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var dir = new TempDir("strata-store-");
        var store = await ImageStore.OpenAsync(dir.Path, ImageStoreOptions.Default with { Time = new FixedTime(FixedNow) }, CancellationToken.None);
        return new TempStore(dir, store);
    }

    /// <summary>Opens a second handle on the same store, as another process would.</summary>
    public Task<ImageStore> ReopenAsync() => ImageStore.OpenAsync(Root, ImageStoreOptions.Default with { Time = new FixedTime(FixedNow) }, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
