using Strata.Images;

namespace Strata.Images.Tests;

/// <summary>A fresh store in a temp directory with a fixed clock, removed afterwards.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    public static readonly DateTimeOffset FixedNow = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private TempStore(string root, ImageStore store)
    {
        Root = root;
        Store = store;
    }

    public string Root { get; }

    public ImageStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("strata-store-").FullName;
        var store = await ImageStore.OpenAsync(root, ImageStoreOptions.Default with { Time = new FixedTime(FixedNow) }, CancellationToken.None);
        return new TempStore(root, store);
    }

    /// <summary>Opens a second handle on the same store, as another process would.</summary>
    public Task<ImageStore> ReopenAsync() => ImageStore.OpenAsync(Root, ImageStoreOptions.Default with { Time = new FixedTime(FixedNow) }, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        Scratch.Delete(Root);
        return ValueTask.CompletedTask;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
