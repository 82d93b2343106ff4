using Strata.Core.Unix;
using Strata.Build.Cache;
using Strata.Build.Cache.Prune;
using Strata.Build.Cache.Sources;
using Strata.Build.Cache.Usage;
using Strata.Images;
using Strata.Images.Tests;

namespace Strata.Build.Tests.Cache.Prune;

/// <summary>
/// ADD &lt;url&gt; download entries (the layout <see cref="HttpCacheLayout"/> defines and the
/// build writes, made here on disk) as build cache: listed with their URL and bytes, removed by
/// <see cref="BuildCachePruner"/> unless their lock is held (a real flock on another open file),
/// removal leftovers cleaned, nothing else under <c>http-cache/</c> taken for an entry.
/// </summary>
public sealed class DownloadCachePruneTests
{
    private const string Url = "http://127.0.0.1:1/dist/tool.tar.gz";

    /// <summary>An entry as a fetch leaves it: the content (named by its digest's hex), the entry file, KEY.url and KEY.lock.</summary>
    private static string MakeEntry(StoreLayout layout, string url, int bytes)
    {
        var cache = layout.HttpCache;
        var key = HttpCacheLayout.KeyOf(url);
        var dir = cache.EntryDirectory(key);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, new string('a', 64)), new byte[bytes]);
        File.WriteAllText(Path.Combine(dir, "entry"), "sha256:" + new string('a', 64) + "\n\n\n");
        File.WriteAllText(cache.UrlFile(key), url);
        File.WriteAllText(cache.LockFile(key), "");
        return key;
    }

    [Fact]
    public async Task A_download_is_listed_with_its_url_and_bytes_and_pruned_only_once_no_lock_holds_it()
    {
        await using var temp = await TempStore.CreateAsync();
        var layout = temp.Store.Layout;
        var key = MakeEntry(layout, Url, 5000);
        long size = 5000 + new FileInfo(Path.Combine(layout.HttpCache.EntryDirectory(key), "entry")).Length;

        var entry = Assert.Single(SourceCacheUsage.List(layout.HttpCache));
        Assert.Equal((key, Url, size, false), (entry.Key, entry.Url, entry.Size, entry.InUse));
        Assert.Equal(key[..25], entry.Id);
        Assert.Equal(size, Assert.Single((await SystemDiskUsage.ComputeAsync(temp.Store, CancellationToken.None)).Sources).Size);

        var lockPath = layout.HttpCache.LockFile(key);
        using (var held = Libc.OpenLockFile(lockPath, create: false))
        {
            Assert.True(Libc.TryFlockExclusive(held, lockPath));
            Assert.True(Assert.Single(SourceCacheUsage.List(layout.HttpCache)).InUse);
            var busy = await BuildCachePruner.PruneAsync(temp.Store, new BuildCachePruneOptions { All = true }, CancellationToken.None);
            Assert.Empty(busy.Deleted);
            Assert.Equal(0, busy.ReclaimedBytes);
            Assert.True(Directory.Exists(layout.HttpCache.EntryDirectory(key)));
        }

        var report = await BuildCachePruner.PruneAsync(temp.Store, new BuildCachePruneOptions(), CancellationToken.None);

        Assert.Equal([key[..25]], report.Deleted);
        Assert.Equal(size, report.ReclaimedBytes);
        Assert.False(Directory.Exists(layout.HttpCache.EntryDirectory(key)));
        Assert.False(File.Exists(layout.HttpCache.UrlFile(key)));
        // The lock file stays: a build may have it open, and a new file would be a second lock.
        Assert.True(File.Exists(lockPath));
        Assert.Empty(SourceCacheUsage.List(layout.HttpCache));
    }

    [Fact]
    public async Task A_removal_leftover_goes_and_a_directory_that_is_no_url_key_is_left_alone()
    {
        await using var temp = await TempStore.CreateAsync();
        var cache = temp.Store.Layout.HttpCache;
        var key = HttpCacheLayout.KeyOf(Url);
        var leftover = cache.EntryDirectory(key) + HttpCacheLayout.RemovalMarker + "0123456789abcdef";
        Directory.CreateDirectory(leftover);
        File.WriteAllBytes(Path.Combine(leftover, "half"), new byte[700]);
        var stranger = Path.Combine(cache.Root, "not-a-key");
        Directory.CreateDirectory(stranger);

        Assert.Empty(SourceCacheUsage.List(temp.Store.Layout.HttpCache));
        var report = await BuildCachePruner.PruneAsync(temp.Store, new BuildCachePruneOptions(), CancellationToken.None);

        Assert.Equal(700, report.ReclaimedBytes);
        Assert.False(Directory.Exists(leftover));
        Assert.True(Directory.Exists(stranger));
    }

    [Fact]
    public void A_url_key_is_64_lowercase_hex_digits_and_only_such_a_name_is_taken_for_an_entry()
    {
        var key = HttpCacheLayout.KeyOf("https://example.test/a");
        // sha256 of the URL's UTF-8 bytes (python3 -c "import hashlib; print(hashlib.sha256(b'https://example.test/a').hexdigest())").
        Assert.Equal("37f58c3315be7800d9d1452bf60ed10134e4cee73b8fde8ae2ba692ab4bc01e0", key);
        Assert.True(HttpCacheLayout.IsKey(key));
        Assert.True(HttpCacheLayout.IsKey(HttpCacheLayout.KeyOf("")));
        Assert.False(HttpCacheLayout.IsKey(key.ToUpperInvariant()));
        Assert.False(HttpCacheLayout.IsKey(key + HttpCacheLayout.RemovalMarker + "x"));
        Assert.False(HttpCacheLayout.IsKey(key[..63] + "g"));
    }
}
