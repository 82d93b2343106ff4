using Strata.Build.Cache;
using Strata.Core;
using Strata.Images.Metadata;

namespace Strata.Build.Tests.Cache;

public sealed class BuildCacheStoreTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-cachedb-");

    public void Dispose() => _tempDir.Dispose();

    private async Task<BuildCacheStore> OpenAsync() => new(await MetadataStore.OpenAsync(Path.Combine(_tempDir.Path, "metadata.db"), CancellationToken.None));

    [Fact]
    public async Task A_record_is_found_by_its_key_with_its_layer_snapshot_and_history()
    {
        var store = await OpenAsync();
        var key = CacheKey.Of("step");
        var layer = Digest.Compute("layer"u8);
        var created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

        await store.PutAsync(new CacheRecord(key, layer, "abc", "RUN x", created), DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(new CacheRecord(key, layer, "abc", "RUN x", created), await store.FindAsync(key, CancellationToken.None));
        Assert.Null(await store.FindAsync(CacheKey.Of("other"), CancellationToken.None));
    }

    [Fact]
    public async Task The_stat_index_survives_a_reopen_per_context_root()
    {
        var store = await OpenAsync();
        var index = new StatIndex("/ctx", []);
        var status = new Strata.Core.Unix.FileStatus(0x81A4, 0, 0, 3, 42, 8, 1, 0, 0, 1, 100, 5, 100, 6, 8);
        index.Put("a.txt", status, "hash");
        await store.SaveStatIndexAsync(index, CancellationToken.None);

        var reopened = await (await OpenAsync()).LoadStatIndexAsync("/ctx", CancellationToken.None);
        var other = await store.LoadStatIndexAsync("/elsewhere", CancellationToken.None);

        Assert.Equal("hash", reopened.TryGet("a.txt", status));
        Assert.Null(reopened.TryGet("a.txt", status with { MtimeNanoseconds = 7 }));
        Assert.Equal(0, other.Count);
    }

    [Fact]
    public async Task Inputs_are_kept_per_dockerfile_and_target()
    {
        var store = await OpenAsync();
        await store.SaveInputsAsync("/a/Dockerfile", "", "one", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await store.SaveInputsAsync("/a/Dockerfile", "", "two", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal("two", await store.LoadInputsAsync("/a/Dockerfile", "", CancellationToken.None));
        Assert.Null(await store.LoadInputsAsync("/a/Dockerfile", "test", CancellationToken.None));
    }

    [Fact]
    public async Task Step_inputs_are_kept_once_per_key()
    {
        var store = await OpenAsync();
        var key = CacheKey.Of("step");
        await store.SaveStepInputsAsync([new(key, "first")], DateTimeOffset.UnixEpoch, CancellationToken.None);
        await store.SaveStepInputsAsync([new(key, "second")], DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal("first", await store.LoadStepInputsAsync(key, CancellationToken.None));
        Assert.Null(await store.LoadStepInputsAsync(CacheKey.Of("other"), CancellationToken.None));
    }
}
