using Strata.Build.Cache;
using Strata.Build.Cache.Prune;
using Strata.Build.Cache.Sources;
using Strata.Build.Cache.Usage;
using Strata.Images;
using Strata.Images.Tests;

namespace Strata.Build.Tests.Cache.Prune;

/// <summary>
/// The two build-source caches share one listing and removal: a git clone entry (made here on
/// disk as GitSource leaves it) is listed with BuildKit's source.git.checkout type and a
/// description naming its remote, apart from the downloads, and pruned like them.
/// </summary>
public sealed class SourceCacheLayoutTests
{
    [Fact]
    public async Task A_clone_is_listed_as_source_git_checkout_naming_its_remote_and_pruned_apart_from_downloads()
    {
        await using var temp = await TempStore.CreateAsync();
        var layout = temp.Store.Layout;
        const string Remote = "git://127.0.0.1:1/repo";
        var key = SourceCacheLayout.KeyOf(Remote);
        Directory.CreateDirectory(Path.Combine(layout.GitCache.EntryDirectory(key), "objects"));
        File.WriteAllBytes(Path.Combine(layout.GitCache.EntryDirectory(key), "objects", "pack"), new byte[900]);
        File.WriteAllText(layout.GitCache.UrlFile(key), Remote);

        var clone = Assert.Single(SourceCacheUsage.List(layout.GitCache));
        Assert.Equal((key[..25], Remote, 900L, "source.git.checkout", "shared git repo for " + Remote), (clone.Id, clone.Url, clone.Size, clone.RecordType, clone.Description));
        Assert.Empty(SourceCacheUsage.List(layout.HttpCache));
        Assert.Equal(clone, Assert.Single((await SystemDiskUsage.ComputeAsync(temp.Store, CancellationToken.None)).Sources));

        var report = await BuildCachePruner.PruneAsync(temp.Store, new BuildCachePruneOptions(), CancellationToken.None);

        Assert.Equal([key[..25]], report.Deleted);
        Assert.Equal(900, report.ReclaimedBytes);
        Assert.False(Directory.Exists(layout.GitCache.EntryDirectory(key)));
        Assert.True(File.Exists(layout.GitCache.LockFile(key)), "the prune's lock file went");
    }

    [Theory]
    [InlineData("https://user:secret@example.test/r.git", "shared git repo for https://user:xxxxx@example.test/r.git")]
    [InlineData("https://token@example.test/r.git", "shared git repo for https://token@example.test/r.git")]
    [InlineData("git@example.test:org/r.git", "shared git repo for git@example.test:org/r.git")]
    public void A_password_in_the_remote_is_masked_in_the_description_as_BuildKit_does(string remote, string description) =>
        Assert.Equal(description, new GitCacheLayout("/nonexistent").Describe(remote));

    [Fact]
    public void A_download_is_a_regular_record_described_by_its_url() =>
        Assert.Equal(("regular", "http url http://h/f"), (new HttpCacheLayout("/x").RecordType, new HttpCacheLayout("/x").Describe("http://h/f")));
}
