using Strata.Core;

namespace Strata.Content.Tests;

/// <summary>
/// go-containerregistry's OCI layout test data opened as our store: every blob's file name is
/// the sha256 of its content. The layouts are copied first because opening a store writes to it.
/// </summary>
public sealed class LayoutVectorTests : IDisposable
{
    private static readonly string Vectors = Path.Combine(RepoPaths.Conformance, "google-go-containerregistry", "pkg", "v1", "layout", "testdata");

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Layouts()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Vectors).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Every_blob_in_the_layout_verifies_against_its_file_name(string layout)
    {
        var root = _dir.PathOf(layout);
        CopyTree(Path.Combine(Vectors, layout), root);
        var expected = Directory.Exists(Path.Combine(root, "blobs", "sha256"))
            ? Directory.GetFiles(Path.Combine(root, "blobs", "sha256")).Select(f => Digest.Parse("sha256:" + Path.GetFileName(f))).Order().ToList()
            : [];

        var store = FileContentStore.Open(root);
        var listed = new List<Digest>();
        await foreach (var info in store.ListAsync(CancellationToken.None))
        {
            listed.Add(info.Digest);
            Assert.True(await store.VerifyAsync(info.Digest, CancellationToken.None), $"{layout}: blob {info.Digest} does not match its name");
        }

        Assert.Equal(expected, listed.Order());
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(source)) CopyTree(dir, Path.Combine(target, Path.GetFileName(dir)));
    }
}
