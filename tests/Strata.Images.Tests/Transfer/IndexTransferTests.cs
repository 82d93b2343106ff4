using System.Text;
using Strata.Core;
using Strata.Images.Gc;
using Strata.Images.Import;
using Strata.Images.Removal;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Images.Tests.Transfer;

/// <summary>
/// Image indexes through sources and sinks: the index is kept byte for byte whichever children
/// a copy brings; the store records listed and present platforms; GC, prune and rmi treat the
/// present children as the index's.
/// </summary>
public sealed class IndexTransferTests
{
    private static readonly Platform Amd64 = Platform.Parse("linux/amd64");
    private static readonly Platform Arm64 = Platform.Parse("linux/arm64/v8");

    private sealed record TwoPlatforms(StoredImage Amd, StoredImage Arm, Descriptor Index);

    /// <summary>An amd64 image (tagged app:1) and an arm64 one over the same layers (untagged), joined by an index named multi:1.</summary>
    private static async Task<TwoPlatforms> MakeAsync(ImageStore store)
    {
        var rootfs = RootfsFixture.Create();
        StoredImage amd;
        try
        {
            amd = await RootfsImporter.ImportDirectoryAsync(store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1") }, CancellationToken.None);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
        var arm = await store.CommitImageAsync(amd.Config with { Architecture = "arm64", Variant = "v8" }, amd.Layers, [], CancellationToken.None);
        var index = new ImageIndex([amd.ManifestDescriptor with { Platform = Amd64 }, arm.ManifestDescriptor with { Platform = Arm64 }]) { MediaType = MediaTypes.OciIndex };
        var bytes = OciJson.Serialize(index);
        var descriptor = await store.WriteBlobAsync(MediaTypes.OciIndex, bytes, CancellationToken.None);
        descriptor = new Descriptor(MediaTypes.OciIndex, descriptor.Digest, descriptor.Size);
        await store.Indexes.RecordAsync(IndexDocument.Parse(descriptor, bytes, "test"), [ImageReference.Parse("multi:1")], CancellationToken.None);
        return new TwoPlatforms(amd, arm, descriptor);
    }

    [Fact]
    public async Task An_index_copied_for_one_platform_keeps_its_digest_and_only_that_child_and_the_other_is_listed_but_absent()
    {
        await using var from = await TempStore.CreateAsync();
        await using var to = await TempStore.CreateAsync();
        var made = await MakeAsync(from.Store);
        var layout = Path.Combine(from.Root, "tmp", "layout");

        var source = new StoreSource(from.Store, [new SourceImage(made.Index, [ImageReference.Parse("multi:1")])]);
        var sink = new OciLayoutSink(layout, "test");
        var copied = await ImageCopier.CopyRootAsync(source, made.Index, [ImageReference.Parse("multi:1")], PlatformSelection.Parse("linux/arm64"), sink, CancellationToken.None);
        await sink.CommitAsync(CancellationToken.None);
        Assert.Equal([made.Arm.Record.ManifestDigest], copied.Children.Select(c => c.Manifest.Digest));
        Assert.False(File.Exists(Path.Combine(layout, "blobs", "sha256", made.Amd.Record.ManifestDigest.Encoded)));

        var back = new OciLayoutSource(layout, "layout", from.Store.Options.MaxDocumentBytes);
        var entry = Assert.Single(await back.ListAsync(CancellationToken.None));
        Assert.Equal(made.Index.Digest, entry.Root.Digest);
        Assert.Equal(["docker.io/library/multi:1"], entry.Names.Select(n => n.ToString()));
        var store = new StoreSink(to.Store, "layout");
        await ImageCopier.CopyRootAsync(back, entry.Root, entry.Names, PlatformSelection.All, store, CancellationToken.None);

        var index = Assert.Single(store.Indexes);
        Assert.Equal(made.Index.Digest, index.Digest);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.Children.Select(c => c.Platform!.ToString()));
        Assert.Equal([false, true], index.Children.Select(c => c.Present));
        Assert.Equal("linux/arm64/v8", index.PlatformsText(present: true));
        Assert.Equal("linux/amd64", index.PlatformsText(present: false));
        Assert.Equal(made.Arm.Id, (await to.Store.GetAsync("multi:1", Arm64, CancellationToken.None)).Id);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => to.Store.GetAsync("multi:1", Amd64, CancellationToken.None));
        Assert.Equal("image multi:1 has no linux/amd64 platform present (present: linux/arm64/v8)", missing.Message);
        Assert.Equal(made.Arm.Id, (await to.Store.GetAsync(made.Index.Digest.Value, Arm64, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Prune_and_the_collector_keep_an_index_and_its_children_and_rmi_removes_what_only_it_held()
    {
        await using var temp = await TempStore.CreateAsync();
        var store = temp.Store;
        var made = await MakeAsync(store);

        Assert.Empty((await ImageRemover.PruneAsync(store, all: false, CancellationToken.None)).Deleted);
        Assert.Empty(await new GarbageCollector(store, [], null).UnreferencedBlobsAsync(CancellationToken.None));
        Assert.Equal(made.Amd.Id, (await store.GetAsync("multi:1", Amd64, CancellationToken.None)).Id);

        var report = await ImageRemover.RemoveAsync(store, "multi:1", force: false, CancellationToken.None);
        Assert.Equal(["multi:1"], report.Untagged);
        // app:1 names the amd64 child, so it stays with its blobs; the arm64 child and the index go.
        Assert.Equal([made.Index.Digest.Value, made.Arm.Id.Value], report.Deleted);
        Assert.Null(await store.Content.InfoAsync(made.Index.Digest, CancellationToken.None));
        Assert.Null(await store.Content.InfoAsync(made.Arm.Id, CancellationToken.None));
        Assert.NotNull(await store.Content.InfoAsync(made.Amd.Id, CancellationToken.None));
        Assert.Empty(await store.Indexes.ListAsync(CancellationToken.None));
        Assert.Null(await store.TryGetAsync("multi:1", CancellationToken.None));
        Assert.Equal(made.Amd.Id, (await store.GetAsync("app:1", CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Tagging_an_index_name_tags_the_index_and_rmi_of_one_of_its_two_names_only_untags()
    {
        await using var temp = await TempStore.CreateAsync();
        var made = await MakeAsync(temp.Store);

        await temp.Store.TagAsync("multi:1", "multi:2", CancellationToken.None);
        var index = Assert.Single(await temp.Store.Indexes.ListAsync(CancellationToken.None));
        Assert.Equal(["multi:1", "multi:2"], index.Tags.Select(t => t.Familiar).Order(StringComparer.Ordinal));
        var report = await ImageRemover.RemoveAsync(temp.Store, "multi:1", force: false, CancellationToken.None);
        Assert.Equal(["multi:1"], report.Untagged);
        Assert.Empty(report.Deleted);
        Assert.Equal(made.Arm.Id, (await temp.Store.GetAsync("multi:2", Arm64, CancellationToken.None)).Id);
        Assert.Null(await temp.Store.TryGetAsync("multi:1", CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":10}]}""",
        "lists another index (sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa); nested indexes are not supported")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":10}]}""",
        "lists sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa of media type application/vnd.oci.image.layer.v1.tar, not an image manifest")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"layers":[]}""",
        "is ambiguous: it is an index carrying \"layers\"")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]}""",
        "is ambiguous: it says its mediaType is \"application/vnd.oci.image.manifest.v1+json\" but its descriptor says \"application/vnd.oci.image.index.v1+json\"")]
    public void An_invalid_index_is_refused_in_one_line_naming_it(string json, string problem)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var descriptor = new Descriptor(MediaTypes.OciIndex, Digest.Compute(bytes), bytes.Length);
        var error = Assert.Throws<InvalidArgumentException>(() => IndexDocument.Parse(descriptor, bytes, "x.tar"));
        Assert.StartsWith($"x.tar: index {descriptor.Digest} ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Platform_selections_parse_all_or_a_list_and_never_want_attestations()
    {
        Assert.Same(PlatformSelection.All, PlatformSelection.Parse("all"));
        var two = PlatformSelection.Parse("linux/amd64, linux/arm64");
        Assert.Equal("linux/amd64,linux/arm64", two.ToString());
        Assert.True(two.Wants(Arm64));
        Assert.False(two.Wants(Platform.Parse("linux/arm/v7")));
        Assert.False(PlatformSelection.All.Wants(new Platform("unknown", "unknown")));
        Assert.True(PlatformSelection.All.Wants(null));
        Assert.False(two.Wants(null));
        Assert.Equal("invalid platform \"arm64\": want os/arch[/variant]", Assert.Throws<InvalidArgumentException>(() => PlatformSelection.Parse("arm64")).Message);
    }
}
