using Strata.Core;
using Strata.Core.Unix;
using Strata.Images.Import;

namespace Strata.Images.Tests;

/// <summary>
/// index.json is rewritten (temp file, fsync, rename, directory fsync) only when what it lists
/// changes: a no-op rebuild records the same image under the same name and pays for none of it.
/// The file's inode shows whether it was replaced.
/// </summary>
public sealed class IndexJsonWriteTests : WithRootfs
{
    [Fact]
    public async Task Naming_an_image_as_it_is_named_leaves_index_json_as_it_is_and_a_new_name_replaces_it()
    {
        await using var temp = await TempStore.CreateAsync();
        await RootfsImporter.ImportDirectoryAsync(temp.Store, Rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("a:1") }, CancellationToken.None);
        var path = temp.Store.Layout.IndexJson;
        var before = Libc.Lstat(path).Inode;
        var bytes = await File.ReadAllBytesAsync(path);

        await temp.Store.TagAsync("a:1", "a:1", CancellationToken.None);

        Assert.Equal(before, Libc.Lstat(path).Inode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));

        await temp.Store.TagAsync("a:1", "b:2", CancellationToken.None);

        Assert.NotEqual(before, Libc.Lstat(path).Inode);
        Assert.Contains("\"b:2\"", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }
}
