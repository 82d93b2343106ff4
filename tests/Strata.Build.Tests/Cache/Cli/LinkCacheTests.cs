using System.Formats.Tar;
using System.Text.Json;
using Strata.Core.Unix;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// COPY --link through the real CLI: its layer is found by a key without the parent, so a base
/// change keeps it CACHED (the same blob, stacked on the new base, as BuildKit's rebase) while the
/// steps after it run again on the new parent; every input the layer depends on still misses.
/// </summary>
public sealed class LinkCacheTests : IDisposable
{
    private const string Linked = "FROM bb:1\nCOPY --link big/ /x\nRUN cat /etc/release > /seen-release; ls -R /x > /listing\n";
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Dir(string name) => Path.Combine(_cli.Scratch, name);

    /// <summary>A context with a few files, one of them 2 MiB, a subdirectory and a symlink.</summary>
    private void WriteBigContext()
    {
        _cli.Write("big/a.txt", "a\n");
        _cli.Write("big/sub/b.txt", "b\n");
        var blob = new byte[2 << 20];
        for (int i = 0; i < blob.Length; i++) blob[i] = (byte)(i * 31 + (i >> 11));
        File.WriteAllBytes(Path.Combine(_cli.Context, "big", "blob.bin"), blob);
        File.CreateSymbolicLink(Path.Combine(_cli.Context, "big", "link"), "a.txt");
    }

    private HashSet<string> Blobs() =>
        [.. Directory.GetFiles(Path.Combine(_cli.Store, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f))];

    /// <summary>The image's layer blob digests, from the manifest.json of <c>strata save</c>.</summary>
    private async Task<List<string>> LayerBlobsAsync(string image)
    {
        var tar = Dir(Guid.NewGuid().ToString("N") + ".tar");
        await _cli.RunOkAsync("save", image, "-o", tar);
        await using var reader = new TarReader(File.OpenRead(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name != "manifest.json" || entry.DataStream is null) continue;
            using var doc = await JsonDocument.ParseAsync(entry.DataStream);
            return [.. doc.RootElement[0].GetProperty("Layers").EnumerateArray().Select(l => "sha256:" + Path.GetFileName(l.GetString()!))];
        }
        throw new InvalidOperationException($"no manifest.json in the save of {image}");
    }

    private async Task<string> UnpackAsync(string image)
    {
        var root = Dir("root-" + Guid.NewGuid().ToString("N"));
        await _cli.RunOkAsync("image", "unpack", image, root);
        return root;
    }

    /// <summary>Every path under <paramref name="root"/> with its type and content (file bytes as sha, link targets).</summary>
    private static SortedDictionary<string, string> Tree(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(path);
            var rel = Path.GetRelativePath(root, path);
            tree[rel] = info.LinkTarget is { } target ? "link " + target
                : Directory.Exists(path) ? "dir"
                : "file " + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }
        return tree;
    }

    [Fact]
    public async Task A_base_change_keeps_a_linked_copy_cached_with_the_same_blob_and_reruns_the_step_after_it()
    {
        WriteBigContext();
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        await _cli.BuildAsync("-t", "app:a");
        var onA = await LayerBlobsAsync("app:a");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");
        var before = Blobs();

        var onB = await _cli.BuildAsync("-t", "app:b");

        Assert.Equal([
            "[2/3] COPY --link big/ /x: CACHED",
            "[3/3] RUN cat /etc/release > /seen-release; ls -R /x > /listing: MISS parent step [2/3] rebased (base image bb:1 changed digest)"], onB.Steps);
        Assert.Matches(@"(?m)^#\d+ REBASED onto a new parent: base image bb:1 changed digest$", onB.Stderr);
        var layersB = await LayerBlobsAsync("app:b");
        Assert.Equal(3, layersB.Count);
        Assert.NotEqual(onA[0], layersB[0]);  // a new base...
        Assert.Equal(onA[1], layersB[1]);     // ...under the very same COPY --link blob...
        Assert.NotEqual(onA[2], layersB[2]);  // ...and a RUN that ran again on it.
        // Nothing was copied: the only new blobs are the RUN's layer (stored uncompressed), the
        // config and the manifest, and the gzip variants of the RUN's layer and of base B's (imported
        // uncompressed) that the save listing the layers above made.
        var added = Blobs().Except(before).ToList();
        Assert.Equal(5, added.Count);
        Assert.Contains(layersB[0], added);
        Assert.Contains(layersB[2], added);
        Assert.Contains(onB.ImageId.Trim(), added);
        Assert.DoesNotContain(layersB[1], added);

        // B's root filesystem: B's own file, /x exactly as the context, and the RUN's view of both.
        var root = await UnpackAsync("app:b");
        Assert.Equal("release", await File.ReadAllTextAsync(Path.Combine(root, "etc", "release")));
        Assert.Equal("release", await File.ReadAllTextAsync(Path.Combine(root, "seen-release")));
        Assert.Equal(Tree(Path.Combine(_cli.Context, "big")), Tree(Path.Combine(root, "x")));
        Assert.Contains("blob.bin", await File.ReadAllTextAsync(Path.Combine(root, "listing")), StringComparison.Ordinal);
        // A's RUN record was not reused for B: A saw no release file.
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(await UnpackAsync("app:a"), "seen-release")));
        await _cli.RunOkAsync("system", "check");
    }

    [Fact]
    public async Task Going_back_to_a_base_hits_every_step_of_it_again_and_gives_its_image()
    {
        WriteBigContext();
        await _cli.ImportBusyboxAsync("bb:1");
        await _cli.RunOkAsync("tag", "bb:1", "bb:a");
        _cli.Write("Dockerfile", Linked);
        var first = await _cli.BuildAsync();
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");
        await _cli.BuildAsync();
        await _cli.RunOkAsync("tag", "bb:a", "bb:1");

        var back = await _cli.BuildAsync();

        Assert.All(back.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.DoesNotContain("REBASED", back.Stderr, StringComparison.Ordinal);
        Assert.Equal(first.ImageId, back.ImageId);
    }

    [Fact]
    public async Task Rawjson_marks_the_linked_copy_cached_and_rebased_and_the_next_step_missed_because_of_it()
    {
        WriteBigContext();
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        await _cli.BuildAsync();
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");

        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=rawjson", _cli.Context]);

        Assert.True(exit == 0, stderr);
        using (var log = new RawJsonLog(stderr))
        {
            var done = log.Completed();
            var copy = Assert.Single(done, p => p.Key.EndsWith("COPY --link big/ /x", StringComparison.Ordinal)).Value;
            var run = Assert.Single(done, p => p.Key.Contains("RUN cat /etc/release", StringComparison.Ordinal)).Value;
            Assert.True(copy.GetProperty("cached").GetBoolean());
            Assert.False(run.GetProperty("cached").GetBoolean());
            var rebased = Assert.Single(log.All("rebased"));
            Assert.Equal(copy.GetProperty("digest").GetString(), rebased.GetProperty("vertex").GetString());
            Assert.Equal("base image bb:1 changed digest", rebased.GetProperty("reason").GetString());
            var miss = Assert.Single(log.All("cacheMisses"));
            Assert.Equal(run.GetProperty("digest").GetString(), miss.GetProperty("vertex").GetString());
            Assert.Equal("parent step [2/3] rebased (base image bb:1 changed digest)", miss.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task A_changed_file_chown_or_destination_misses_the_linked_copy_even_on_a_new_base()
    {
        WriteBigContext();
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nCOPY --link big/ /x\n");
        await _cli.BuildAsync();

        // Each change comes with a new base, so only the parent-independent key could hit.
        _cli.Write("big/a.txt", "changed\n");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "one");
        var file = await _cli.BuildAsync();
        _cli.Write("Dockerfile", "FROM bb:1\nCOPY --link --chown=1000:1000 big/ /x\n");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "two");
        var chown = await _cli.BuildAsync();
        _cli.Write("Dockerfile", "FROM bb:1\nCOPY --link --chown=1000:1000 big/ /y\n");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "three");
        var destination = await _cli.BuildAsync();
        Libc.Chmod(Path.Combine(_cli.Context, "big", "a.txt"), 0x1ED);
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "four");
        var mode = await _cli.BuildAsync();

        Assert.Equal(["[2/2] COPY --link big/ /x: MISS base image bb:1 changed digest"], file.Steps);
        Assert.Equal(["[2/2] COPY --link --chown=1000:1000 big/ /x: MISS base image bb:1 changed digest"], chown.Steps);
        Assert.Equal(["[2/2] COPY --link --chown=1000:1000 big/ /y: MISS base image bb:1 changed digest"], destination.Steps);
        Assert.Equal(["[2/2] COPY --link --chown=1000:1000 big/ /y: MISS base image bb:1 changed digest"], mode.Steps);
        Assert.DoesNotContain("REBASED", file.Stderr + chown.Stderr + destination.Stderr + mode.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chown_name_that_the_new_base_maps_to_another_uid_misses_and_owns_the_files_by_the_new_uid()
    {
        _cli.Write("a.txt", "a\n");
        await _cli.ImportBusyboxAsync("bb:1", passwd: "app:x:1000:1000::/:/bin/sh\n", group: "app:x:1000:\n");
        _cli.Write("Dockerfile", "FROM bb:1\nCOPY --link --chown=app a.txt /a.txt\n");
        await _cli.BuildAsync();
        await _cli.ImportBusyboxAsync("bb:1", passwd: "app:x:2000:2000::/:/bin/sh\n", group: "app:x:2000:\n");

        var renumbered = await _cli.BuildAsync("-t", "owned:1");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "same-app", passwd: "app:x:2000:2000::/:/bin/sh\n", group: "app:x:2000:\n");
        var sameUid = await _cli.BuildAsync();

        Assert.Equal(["[2/2] COPY --link --chown=app a.txt /a.txt: MISS base image bb:1 changed digest"], renumbered.Steps);
        var st = Libc.Lstat(Path.Combine(await UnpackAsync("owned:1"), "a.txt"));
        Assert.Equal((2000, 2000), (st.Uid, st.Gid));
        // Another base where the name means the same ids: the layer is reused.
        Assert.Equal(["[2/2] COPY --link --chown=app a.txt /a.txt: CACHED"], sameUid.Steps);
    }

    [Fact]
    public async Task A_relative_destination_depends_on_workdir_and_an_absolute_one_does_not()
    {
        _cli.Write("a.txt", "a\n");
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nWORKDIR /w1\nCOPY --link a.txt rel/\nCOPY --link a.txt /abs/\n");
        await _cli.BuildAsync();
        _cli.Write("Dockerfile", "FROM bb:1\nWORKDIR /w2\nCOPY --link a.txt rel/\nCOPY --link a.txt /abs/\n");

        var moved = await _cli.BuildAsync("-t", "moved:1");

        Assert.Equal([
            "[2/4] WORKDIR /w2: MISS instruction changed (was: WORKDIR /w1)",
            "[3/4] COPY --link a.txt rel/: MISS parent step [2/4] rebuilt",
            "[4/4] COPY --link a.txt /abs/: CACHED"], moved.Steps);
        Assert.Matches(@"(?m)^#\d+ REBASED onto a new parent: parent step \[2/4\] rebuilt$", moved.Stderr);
        var root = await UnpackAsync("moved:1");
        Assert.True(File.Exists(Path.Combine(root, "w2", "rel", "a.txt")));
        Assert.False(Directory.Exists(Path.Combine(root, "w1")));
        Assert.True(File.Exists(Path.Combine(root, "abs", "a.txt")));
    }

    [Fact]
    public async Task Without_link_or_with_chmod_a_base_change_misses_as_before()
    {
        _cli.Write("a.txt", "a\n");
        await _cli.ImportBusyboxAsync("bb:1");
        // BuildKit merges a --link copy only without --chmod; with it the copy is a plain one.
        _cli.Write("Dockerfile", "FROM bb:1\nCOPY a.txt /plain\nCOPY --link --chmod=600 a.txt /moded\n");
        await _cli.BuildAsync();
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal([
            "[2/3] COPY a.txt /plain: MISS base image bb:1 changed digest",
            "[3/3] COPY --link --chmod=600 a.txt /moded: MISS parent step [2/3] rebuilt"], rebuilt.Steps);
        Assert.DoesNotContain("REBASED", rebuilt.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rebuilt_base_stage_keeps_the_linked_copy_and_reruns_what_follows()
    {
        _cli.Write("a.txt", "a\n");
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1 AS base\nARG V\nRUN echo $V > /v\nFROM base\nCOPY --link a.txt /a.txt\nRUN cat /v /a.txt > /out\n");
        await _cli.BuildAsync("--build-arg", "V=1");

        var rebuilt = await _cli.BuildAsync("--build-arg", "V=2", "-t", "staged:1");

        Assert.Contains("[stage-1 2/3] COPY --link a.txt /a.txt: CACHED", rebuilt.Steps);
        Assert.Contains("[stage-1 3/3] RUN cat /v /a.txt > /out: MISS base stage base rebuilt", rebuilt.Steps);
        Assert.Equal("2\na\n", await File.ReadAllTextAsync(Path.Combine(await UnpackAsync("staged:1"), "out")));
    }

    [Fact]
    public async Task With_source_date_epoch_a_rebased_image_equals_one_built_on_the_new_base_from_scratch()
    {
        WriteBigContext();
        _cli.Variables["SOURCE_DATE_EPOCH"] = "1700000000";
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        await _cli.BuildAsync();
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");
        var rebased = await _cli.BuildAsync();
        Assert.Contains("[2/3] COPY --link big/ /x: CACHED", rebased.Steps);
        var tar = Dir("bb-b.tar");
        await _cli.RunOkAsync("save", "bb:1", "-o", tar);

        _cli.StoreName = "fresh";
        await _cli.RunOkAsync("load", "-i", tar);
        var fresh = await _cli.BuildAsync();

        Assert.Contains("[2/3] COPY --link big/ /x: MISS no previous build", fresh.Steps);
        Assert.Equal(fresh.ImageId, rebased.ImageId);
        await _cli.RunOkAsync("system", "check");
    }

    [Fact]
    public async Task An_exported_cache_lets_a_clean_store_with_another_base_rebase_the_linked_copy()
    {
        WriteBigContext();
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        var cache = Dir("cache");
        var onA = await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}", "-t", "app:a");
        var copyBlob = (await LayerBlobsAsync("app:a"))[1];
        var baseA = (await _cli.RunAsync(["images", "-q", "bb:1"])).Stdout.Trim();
        _cli.StoreName = "clean";
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");
        var baseB = (await _cli.RunAsync(["images", "-q", "bb:1"])).Stdout.Trim();

        var onB = await _cli.BuildAsync("--cache-from", $"type=local,src={cache}", "-t", "app:b");

        // The RUN's miss names both bases (issue 16: "say that the cache holds builds of another base").
        Assert.Equal([
            "[2/3] COPY --link big/ /x: CACHED",
            $"[3/3] RUN cat /etc/release > /seen-release; ls -R /x > /listing: MISS the --cache-from cache holds builds of another base: bb:1 is {baseB} here, {baseA} in the cache"], onB.Steps);
        Assert.NotEqual(baseA, baseB);
        Assert.Equal(copyBlob, (await LayerBlobsAsync("app:b"))[1]);
        Assert.NotEqual(onA.ImageId, onB.ImageId);
        await _cli.RunOkAsync("system", "check");
    }

    /// <summary>The entries of the image's inline cache label, as (key, link or null) in step order.</summary>
    private async Task<List<(string Key, string? Link)>> InlineKeysAsync(string image)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(["inspect", "--format", "{{json .Config.Labels}}", image]);
        Assert.True(exit == 0, stderr);
        using var labels = JsonDocument.Parse(stdout);
        using var entries = JsonDocument.Parse(labels.RootElement.GetProperty("dev.strata.cache.v0").GetString()!);
        return [.. entries.RootElement.EnumerateArray().Select(e => (e.GetProperty("key").GetString()!, e.TryGetProperty("link", out var l) ? l.GetString() : null))];
    }

    /// <summary>Builds <see cref="Linked"/> on base A with the inline cache, then moves to a clean store holding only that image and a base B.</summary>
    private async Task<List<string>> BuildInlineOnAThenMoveToBAsync()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:a");
        var onA = await LayerBlobsAsync("app:a");
        var tar = Dir("app-a.tar");
        await _cli.RunOkAsync("save", "app:a", "-o", tar);
        _cli.StoreName = "clean";
        await _cli.RunOkAsync("load", "-i", tar);
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");
        return onA;
    }

    [Fact]
    public async Task An_inline_cached_image_lets_a_clean_store_with_another_base_rebase_the_linked_copy()
    {
        WriteBigContext();
        var onA = await BuildInlineOnAThenMoveToBAsync();
        var before = Blobs();

        var onB = await _cli.BuildAsync("--cache-from", "app:a", "--cache-to", "type=inline", "-t", "app:b");

        Assert.Equal([
            "[2/3] COPY --link big/ /x: CACHED",
            "[3/3] RUN cat /etc/release > /seen-release; ls -R /x > /listing: MISS no previous build"], onB.Steps);
        Assert.Matches(@"(?m)^#\d+ REBASED onto a new parent: no previous build$", onB.Stderr);
        var layersB = await LayerBlobsAsync("app:b");
        Assert.Equal(3, layersB.Count);
        Assert.NotEqual(onA[0], layersB[0]);  // base B...
        Assert.Equal(onA[1], layersB[1]);     // ...under the COPY --link blob the image brought...
        Assert.NotEqual(onA[2], layersB[2]);  // ...and a RUN that ran again on it.
        // Nothing was copied: the only new blobs are the RUN's layer (stored uncompressed), the
        // config and the manifest, and the gzip variants of the RUN's layer and of base B's (imported
        // uncompressed) that the save listing the layers above made.
        var added = Blobs().Except(before).ToList();
        Assert.Equal(5, added.Count);
        Assert.Contains(layersB[0], added);
        Assert.Contains(layersB[2], added);
        Assert.Contains(onB.ImageId.Trim(), added);
        Assert.DoesNotContain(layersB[1], added);

        var root = await UnpackAsync("app:b");
        Assert.Equal("release", await File.ReadAllTextAsync(Path.Combine(root, "seen-release")));
        Assert.Equal(Tree(Path.Combine(_cli.Context, "big")), Tree(Path.Combine(root, "x")));
        Assert.Contains("blob.bin", await File.ReadAllTextAsync(Path.Combine(root, "listing")), StringComparison.Ordinal);
        // Only the linked step carries a link key, and it is the same on both bases while the chained keys differ.
        var keysA = await InlineKeysAsync("app:a");
        var keysB = await InlineKeysAsync("app:b");
        Assert.Equal(2, keysA.Count);
        Assert.Matches("^sha256:[0-9a-f]{64}$", keysA[0].Link);
        Assert.NotEqual(keysA[0].Key, keysA[0].Link);
        Assert.Null(keysA[1].Link);
        Assert.Equal(keysA[0].Link, keysB[0].Link);
        Assert.NotEqual(keysA[0].Key, keysB[0].Key);
        await _cli.RunOkAsync("system", "check");
    }

    [Fact]
    public async Task An_inline_cached_image_does_not_rebase_a_linked_copy_whose_files_changed()
    {
        WriteBigContext();
        var onA = await BuildInlineOnAThenMoveToBAsync();
        _cli.Write("big/a.txt", "changed\n");

        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=rawjson", "--cache-from", "app:a", "-t", "app:b", _cli.Context]);

        Assert.True(exit == 0, stderr);
        using (var log = new RawJsonLog(stderr))
        {
            var done = log.Completed();
            var copy = Assert.Single(done, p => p.Key.EndsWith("COPY --link big/ /x", StringComparison.Ordinal)).Value;
            Assert.False(copy.GetProperty("cached").GetBoolean());
            Assert.Empty(log.All("rebased"));
            var miss = Assert.Single(log.All("cacheMisses"), m => m.GetProperty("vertex").GetString() == copy.GetProperty("digest").GetString());
            Assert.Equal("no previous build", miss.GetProperty("reason").GetString());
        }
        var layersB = await LayerBlobsAsync("app:b");
        Assert.NotEqual(onA[1], layersB[1]);
        Assert.Equal("changed\n", await File.ReadAllTextAsync(Path.Combine(await UnpackAsync("app:b"), "x", "a.txt")));
    }

    [Fact]
    public async Task With_source_date_epoch_an_inline_cached_linked_build_gives_the_same_image_in_two_stores()
    {
        WriteBigContext();
        _cli.Variables["SOURCE_DATE_EPOCH"] = "1700000000";
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", Linked);
        var first = await _cli.BuildAsync("--cache-to", "type=inline");
        var cached = await _cli.BuildAsync("--cache-to", "type=inline");
        var tar = Dir("bb.tar");
        await _cli.RunOkAsync("save", "bb:1", "-o", tar);
        _cli.StoreName = "again";
        await _cli.RunOkAsync("load", "-i", tar);

        var again = await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:again");

        Assert.All(cached.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.Equal(first.ImageId, cached.ImageId);
        Assert.Equal(first.ImageId, again.ImageId);
        Assert.NotNull((await InlineKeysAsync("app:again"))[0].Link);
    }

    [Fact]
    public async Task A_link_key_that_is_not_a_digest_is_a_one_line_error_and_records_nothing()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var key = "sha256:" + new string('c', 64);
        _cli.Write("Dockerfile", $$"""
            FROM bb:1
            LABEL dev.strata.cache.v0='[{"key":"{{key}}","history":0,"layer":0,"link":"nope"}]'
            """);
        await _cli.BuildAsync("-t", "bad:1");

        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", "--cache-from", "bad:1", _cli.Context]);

        StrataExit.AssertFailed(exit, stderr);
        Assert.Equal($"Error: --cache-from bad:1: label dev.strata.cache.v0 gives step {key} the link key \"nope\", which is not a digest", stderr.Trim());
        var (_, df, _) = await _cli.RunAsync(["system", "df", "-v"]);
        Assert.DoesNotContain(new string('c', 25), df, StringComparison.Ordinal);
    }
}
