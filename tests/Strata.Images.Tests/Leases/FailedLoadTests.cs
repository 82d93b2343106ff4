using System.Formats.Tar;
using System.Text;
using Strata.Core;
using Strata.Images.Archives;

namespace Strata.Images.Tests.Leases;

/// <summary>
/// Issue 18 item 9: a load that fails part way takes back the blobs only it brought (they were
/// left for an hour before), but never a blob another operation's lease holds.
/// </summary>
public sealed class FailedLoadTests
{
    /// <summary>A legacy docker-archive of one image: a good layer, then a layer that does not match its diff ID.</summary>
    private static (byte[] Archive, Digest GoodLayer) HalfGoodArchive()
    {
        var good = LayerTar("good.txt", "good content");
        var bad = LayerTar("bad.txt", "bad content");
        var goodDigest = Digest.Compute(good);
        var bogus = Digest.Compute("not the bad layer"u8);
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{goodDigest}\",\"{bogus}\"]}}}}");
        var manifest = Encoding.UTF8.GetBytes("[{\"Config\":\"config.json\",\"RepoTags\":[\"half:1\"],\"Layers\":[\"good/layer.tar\",\"bad/layer.tar\"]}]");
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, "config.json", config);
            Add(writer, "good/layer.tar", good);
            Add(writer, "bad/layer.tar", bad);
            Add(writer, "manifest.json", manifest);
        }
        return (output.ToArray(), goodDigest);
    }

    private static byte[] LayerTar(string name, string content)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, name, Encoding.UTF8.GetBytes(content));
        }
        return output.ToArray();
    }

    private static void Add(TarWriter writer, string name, byte[] data)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), ModificationTime = DateTimeOffset.UnixEpoch };
        writer.WriteEntry(entry);
    }

    private static async Task<DigestMismatchException> LoadFailsAsync(ImageStore store, byte[] archive)
    {
        using var input = new MemoryStream(archive);
        return await Assert.ThrowsAsync<DigestMismatchException>(() => ImageLoader.LoadAsync(store, input, "half.tar", CancellationToken.None));
    }

    private static List<string> Blobs(ImageStore store) =>
        [.. Directory.EnumerateFiles(Path.Combine(store.Layout.Root, "blobs", "sha256")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_failed_load_removes_the_blobs_it_brought()
    {
        await using var temp = await TempStore.CreateAsync();
        var (archive, good) = HalfGoodArchive();

        var ex = await LoadFailsAsync(temp.Store, archive);

        Assert.StartsWith("half.tar: layer sha256:", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Blobs(temp.Store));
        Assert.Null(await temp.Store.Metadata.FindLayerAsync(good, CancellationToken.None));
        Assert.Empty(await temp.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_load_keeps_a_blob_another_lease_holds()
    {
        await using var temp = await TempStore.CreateAsync();
        var (archive, good) = HalfGoodArchive();
        // Another handle on the store (as another process would open it) holds the good layer.
        var other = await temp.ReopenAsync();
        var held = other.Leases.Begin();
        await held.AddAsync(Strata.Images.Leases.LeaseResourceKind.Blob, good.Value, CancellationToken.None);

        await LoadFailsAsync(temp.Store, archive);

        Assert.Equal([good.Encoded], Blobs(temp.Store));
        await held.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_load_keeps_a_blob_that_was_already_in_the_store()
    {
        await using var temp = await TempStore.CreateAsync();
        var (archive, good) = HalfGoodArchive();
        using (var first = new MemoryStream(archive))
        {
            // The good layer alone, as some earlier operation left it: not this load's to take.
            using var tar = new TarReader(first);
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.Name != "good/layer.tar") continue;
                await using var writer = await temp.Store.Content.OpenWriterAsync(CancellationToken.None);
                await entry.DataStream!.CopyToAsync(writer);
                await writer.CommitAsync(null, good, CancellationToken.None);
            }
        }

        await LoadFailsAsync(temp.Store, archive);

        Assert.Equal([good.Encoded], Blobs(temp.Store));
    }
}
