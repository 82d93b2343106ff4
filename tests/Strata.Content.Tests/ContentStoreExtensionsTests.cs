using System.Text;
using Strata.Core;

namespace Strata.Content.Tests;

public sealed class ContentStoreExtensionsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteBlob_returns_the_descriptor_and_ReadAllBytes_returns_the_content()
    {
        var store = FileContentStore.Open(_dir.Path);
        var data = Encoding.UTF8.GetBytes("{}");

        var descriptor = await store.WriteBlobAsync(MediaTypes.OciEmpty, data, _ct);

        Assert.Equal(MediaTypes.OciEmpty, descriptor.MediaType);
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", descriptor.Digest.Value);
        Assert.Equal(2, descriptor.Size);
        Assert.Equal(data, await store.ReadAllBytesAsync(descriptor.Digest, 1024, _ct));
    }

    [Fact]
    public async Task ReadAllBytes_refuses_a_blob_larger_than_the_limit()
    {
        var store = FileContentStore.Open(_dir.Path);
        var descriptor = await store.WriteBlobAsync("application/octet-stream", new byte[100], _ct);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(async () => await store.ReadAllBytesAsync(descriptor.Digest, 99, _ct));

        Assert.Contains(descriptor.Digest.Value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyFrom_with_a_wrong_digest_stores_nothing()
    {
        var store = FileContentStore.Open(_dir.Path);
        var claimed = new Descriptor("application/octet-stream", Digest.Compute("claimed"u8), 6);

        await Assert.ThrowsAsync<DigestMismatchException>(async () => await store.CopyFromAsync(new MemoryStream("actual"u8.ToArray()), claimed, _ct));

        await foreach (var _ in store.ListAsync(_ct)) Assert.Fail("nothing may be stored");
        Assert.Empty(Directory.GetFileSystemEntries(_dir.PathOf("ingest")));
    }

    [Fact]
    public async Task CopyFrom_with_the_right_descriptor_stores_the_blob()
    {
        var store = FileContentStore.Open(_dir.Path);
        var content = "layer bytes"u8.ToArray();
        var expected = new Descriptor(MediaTypes.OciLayer, Digest.Compute(content), content.Length);

        var info = await store.CopyFromAsync(new MemoryStream(content), expected, _ct);

        Assert.Equal(expected.Digest, info.Digest);
        Assert.True(await store.VerifyAsync(expected.Digest, _ct));
    }
}
