using Strata.Content;
using Strata.Core;
using Strata.Oci.Layout;

namespace Strata.Oci.Tests.Layout;

/// <summary>go-containerregistry's layout GC vectors (upstream <c>layout/gc_test.go</c>).</summary>
public sealed class LayoutGarbageTests : IDisposable
{
    private static readonly string Vectors = Path.Combine(RepoPaths.Conformance, "google-go-containerregistry", "pkg", "v1", "layout", "testdata");

    private readonly TempDir _tempDir = new("strata-oci-");

    public void Dispose() => _tempDir.Dispose();

    // Opening a store writes to its root, so the shared vectors are copied first.
    private FileContentStore OpenCopy(string layout)
    {
        var root = Path.Combine(_tempDir.Path, layout);
        CopyTree(Path.Combine(Vectors, layout), root);
        return FileContentStore.Open(root);
    }

    [Fact]
    public async Task Gc_index_has_exactly_one_unreferenced_blob()
    {
        var store = OpenCopy("test_gc_index");

        var garbage = await LayoutGarbage.FindUnreferencedAsync(store, CancellationToken.None);

        Assert.Equal(["sha256:492b89b9dd3cda4596f94916d17f6901455fb8bd7f4c5a2a90df8d39c90f48a0"], garbage.Select(d => d.Value));
    }

    [Theory]
    [InlineData("test_index_one_image")]
    [InlineData("test_index_media_type")]
    public async Task Layout_where_everything_is_referenced_has_no_garbage(string layout)
    {
        var store = OpenCopy(layout);

        var garbage = await LayoutGarbage.FindUnreferencedAsync(store, CancellationToken.None);

        Assert.Empty(garbage);
        await foreach (var info in store.ListAsync(CancellationToken.None))
            Assert.Contains(info.Digest, await LayoutGarbage.FindReachableAsync(store, await RootsAsync(store), CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_media_type_in_the_index_is_an_error()
    {
        var store = OpenCopy("test_gc_image_unknown_mediatype");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => LayoutGarbage.FindUnreferencedAsync(store, CancellationToken.None));

        Assert.StartsWith("unknown media type: application/vnd.oci.descriptor.v1+json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_index_json_every_blob_is_garbage()
    {
        var store = OpenCopy("test_gc_index");
        File.Delete(Path.Combine(store.Root, "index.json"));

        var garbage = await LayoutGarbage.FindUnreferencedAsync(store, CancellationToken.None);

        Assert.Equal(6, garbage.Count);
    }

    private static async Task<IReadOnlyList<Descriptor>> RootsAsync(IContentStore store) =>
        OciJson.DeserializeIndex(await File.ReadAllBytesAsync(Path.Combine(store.Root, "index.json")), "index.json").Manifests;

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(source)) CopyTree(dir, Path.Combine(target, Path.GetFileName(dir)));
    }
}
