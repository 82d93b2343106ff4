using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Store;

/// <summary>
/// DESIGN.md: many processes may use one store. Two strata processes writing into the same
/// store at the same time (including the same layer blob) must both succeed and leave it whole.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly Workspace _ws = new(Workspace.ThreeYearsAgo);

    [Fact]
    public async Task Two_imports_into_one_store_at_once_both_succeed_and_the_store_checks_clean()
    {
        string left = RootfsWithData("left", seed: 1);
        string right = RootfsWithData("right", seed: 2);

        var results = await Task.WhenAll(
            _ws.Strata.RunAsync("import", left, "left:1"),
            _ws.Strata.RunAsync("import", right, "right:1"));

        foreach (var result in results)
        {
            result.EnsureSuccess();
            Assert.Matches("^sha256:[0-9a-f]{64}\n$", result.Stdout);
        }
        Assert.Equal(["left:1", "right:1"], await TagsAsync());
        Assert.Equal("checked 6 blobs, 2 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    [Fact]
    public async Task Two_imports_of_the_same_tree_at_once_race_for_one_layer_and_both_succeed()
    {
        string tree = RootfsWithData("same", seed: 3);

        var results = await Task.WhenAll(
            _ws.Strata.RunAsync("import", tree, "twin:1", "-c", "CMD [\"sh\"]"),
            _ws.Strata.RunAsync("import", tree, "twin:2", "-c", "CMD [\"ls\"]"));

        foreach (var result in results) result.EnsureSuccess();
        Assert.Equal(["twin:1", "twin:2"], await TagsAsync());
        Assert.Equal(
            await _ws.Strata.OkAsync("inspect", "--format", "{{json .RootFS.Layers}}", "twin:1"),
            await _ws.Strata.OkAsync("inspect", "--format", "{{json .RootFS.Layers}}", "twin:2"));
        Assert.Equal("checked 5 blobs, 2 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    [Fact]
    public async Task Two_loads_into_one_store_at_once_both_succeed_with_their_ids_and_the_store_checks_clean()
    {
        // Two archives that share their layer, so both loads write the same blob at the same time.
        var source = _ws.OtherStore("source");
        string tree = RootfsWithData("shared", seed: 4);
        await source.OkAsync("import", tree, "first:1", "-c", "CMD [\"sh\"]");
        await source.OkAsync("import", tree, "second:1", "-c", "CMD [\"ls\"]");
        string first = _ws.Scratch.PathOf("first.tar");
        string second = _ws.Scratch.PathOf("second.tar");
        await source.OkAsync("save", "-o", first, "first:1");
        await source.OkAsync("save", "-o", second, "second:1");

        var results = await Task.WhenAll(
            _ws.Strata.RunAsync("load", "-i", first),
            _ws.Strata.RunAsync("load", "-i", second));

        Assert.Equal("Loaded image: first:1\n", results[0].EnsureSuccess().Stdout);
        Assert.Equal("Loaded image: second:1\n", results[1].EnsureSuccess().Stdout);
        Assert.Equal(["first:1", "second:1"], await TagsAsync());
        foreach (var image in new[] { "first:1", "second:1" })
        {
            Assert.Equal(
                await source.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", image),
                await _ws.Strata.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", image));
        }
        Assert.Equal("checked 5 blobs, 2 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>A busybox rootfs plus 24 MB of random data: long enough to ingest that two processes overlap.</summary>
    private string RootfsWithData(string name, int seed)
    {
        string root = BaseRootfs.Create(_ws.Scratch.NewDir(name));
        RandomFiles.Write(Path.Combine(root, "data", "random.bin"), 24, seed);
        return root;
    }

    private async Task<List<string>> TagsAsync() =>
        [.. StoreFiles.Lines(await _ws.Strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).Order(StringComparer.Ordinal)];
}
