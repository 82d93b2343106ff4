using System.Text;
using Strata.Core;
using Strata.Images.Archives;
using Strata.Images.Import;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Images.Tests.Transfer;

/// <summary>Images moved between sources and sinks keep their digests; corrupt or inconsistent images never get in.</summary>
public sealed class SourceSinkTests
{
    private static async Task<StoredImage> ImportAsync(ImageStore store, string tag)
    {
        var rootfs = RootfsFixture.Create();
        try
        {
            return await RootfsImporter.ImportDirectoryAsync(store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse(tag) }, CancellationToken.None);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Store_to_layout_directory_to_another_store_keeps_every_digest_and_the_name()
    {
        await using var from = await TempStore.CreateAsync();
        await using var to = await TempStore.CreateAsync();
        var image = await ImportAsync(from.Store, "app:1");
        var layout = Path.Combine(from.Root, "tmp", "layout");

        var source = StoreSource.ForImages(from.Store, [(image, ImageReference.Parse("app:1"))]);
        var sink = new OciLayoutSink(layout, "test");
        var listed = Assert.Single(await source.ListAsync(CancellationToken.None));
        await ImageCopier.CopyAsync(source, listed.Root, listed.Names, sink, CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(layout, "index.json")), "index.json is written by commit, last");
        await sink.CommitAsync(CancellationToken.None);

        var back = new OciLayoutSource(layout, "layout", from.Store.Options.MaxDocumentBytes);
        var entry = Assert.Single(await back.ListAsync(CancellationToken.None));
        Assert.Equal(["docker.io/library/app:1"], entry.Names.Select(n => n.ToString()));
        var store = new StoreSink(to.Store, "layout");
        await ImageCopier.CopyAsync(back, entry.Root, entry.Names, store, CancellationToken.None);

        var copied = Assert.Single(store.Images);
        Assert.Equal(image.Id, copied.Id);
        Assert.Equal(image.Record.ManifestDigest, copied.Record.ManifestDigest);
        Assert.Equal(image.Manifest.Layers.Select(l => l.Digest), copied.Manifest.Layers.Select(l => l.Digest));
        Assert.Equal(["app:1"], copied.Tags.Select(t => t.Familiar));
    }

    [Fact]
    public async Task A_flipped_byte_in_a_stored_layer_fails_the_archive_naming_the_blob_and_leaves_no_file()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "app:1");
        var layer = image.Manifest.Layers[0].Digest;
        var blob = Path.Combine(temp.Root, "blobs", "sha256", layer.Encoded);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[^10] ^= 0x20;
        await File.WriteAllBytesAsync(blob, bytes);
        var target = Path.Combine(temp.Root, "tmp", "out", "app.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => AtomicOutput.WriteAsync(target,
            file => ImageSaver.SaveAsync(temp.Store, [(image, null)], file, CancellationToken.None), CancellationToken.None));

        Assert.StartsWith($"blob {layer} is corrupt (", ex.Message, StringComparison.Ordinal);
        Assert.Equal(layer, ex.Expected);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public async Task A_sink_only_takes_validated_documents()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "app:1");
        var configBytes = await File.ReadAllBytesAsync(Path.Combine(temp.Root, "blobs", "sha256", image.Id.Encoded));
        // A manifest that drops the layer its config lists: consistent JSON, inconsistent image.
        var manifest = OciJson.Serialize(image.Manifest with { Layers = [] });
        var descriptor = new Descriptor(MediaTypes.OciManifest, Digest.Compute(manifest), manifest.Length);

        var ex = Assert.Throws<InvalidArgumentException>(() => ImageDocuments.Parse(descriptor, manifest, configBytes, "test"));

        Assert.Equal($"test: manifest {descriptor.Digest} is invalid: config has 1 diff IDs but the manifest has 0 layers.", ex.Message);
    }

    [Fact]
    public async Task An_ambiguous_manifest_in_a_layout_is_refused_before_its_config_is_read()
    {
        await using var temp = await TempStore.CreateAsync();
        var layout = Path.Combine(temp.Root, "tmp", "ambiguous");
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[],"manifests":[]}""");
        var digest = Digest.Compute(bytes);
        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", digest.Encoded), bytes);
        var source = new OciLayoutSource(layout, "lay", temp.Store.Options.MaxDocumentBytes);

        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => ImageCopier.ReadAsync(source, new Descriptor(MediaTypes.OciManifest, digest, bytes.Length), CancellationToken.None));

        Assert.Equal($"lay: manifest {digest} is ambiguous: it carries both \"layers\" and \"manifests\"", ex.Message);
    }
}
