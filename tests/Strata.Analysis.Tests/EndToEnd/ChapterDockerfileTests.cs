using System.Text;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// The chapter's "bad" Dockerfiles, built by the real strata on the busybox base, give the
/// findings the chapter describes with the right layers, lines and bytes; the "good" ones give
/// none. Needs root and runc, as builds do.
/// </summary>
public sealed class ChapterDockerfileTests(ChapterStore store) : IClassFixture<ChapterStore>
{
    // Built at run time so no secret scanner flags this file.
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n");

    [Fact]
    public async Task A_secret_key_copied_then_deleted_is_found_in_its_layer_with_both_lines()
    {
        var a = await store.BuildAndAnalyzeAsync("secret-bad:1",
            "FROM bb:1\nCOPY id_rsa /root/.ssh/id_rsa\nRUN test -s /root/.ssh/id_rsa\nRUN rm /root/.ssh/id_rsa\n",
            new Dictionary<string, byte[]> { ["id_rsa"] = Key });

        Assert.Equal(("annotation", 1), (a.BaseLayersFrom, a.BaseLayers));
        Assert.Equal([null, "Dockerfile:2", "Dockerfile:4"], a.Layers.Select(l => l.Source));
        Assert.Equal(["secret-file-private-key", "secret-private-key", "deleted-files"], a.Findings.Select(f => f.Rule));
        Assert.All(a.Findings, f => Assert.Equal((1, 2, "Dockerfile:2", "Dockerfile:4", "/root/.ssh/id_rsa"), (f.Layer, f.ByLayer!.Value, f.Source, f.BySource, f.Paths[0].Path)));
        Assert.All(a.Findings, f => Assert.Equal(Key.Length, f.Bytes));
        Assert.Equal((long)Key.Length, a.UserWastedBytes);
        Assert.Equal(0, a.BaseWastedBytes);
    }

    [Fact]
    public async Task A_secret_mount_leaves_nothing_to_find()
    {
        var a = await store.BuildAndAnalyzeAsync("secret-good:1",
            "FROM bb:1\nRUN --mount=type=secret,id=key,target=/root/.ssh/id_rsa test -s /root/.ssh/id_rsa && echo ok > /done\n",
            new Dictionary<string, byte[]> { ["id_rsa"] = Key }, "--secret", "id=key,src=id_rsa");
        Assert.Empty(a.Findings);
    }

    [Fact]
    public async Task Apt_clean_in_a_separate_RUN_saves_nothing_and_the_cache_is_found()
    {
        var a = await store.BuildAndAnalyzeAsync("apt-bad:1",
            "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n");

        Assert.Equal(["package-cache", "deleted-files"], a.Findings.Select(f => f.Rule).Order(StringComparer.Ordinal).Reverse());
        var cache = a.Findings.Single(f => f.Rule == "package-cache");
        Assert.Equal((1, "Dockerfile:2", 300_000L), (cache.Layer, cache.Source, cache.Bytes));
        var deleted = a.Findings.Single(f => f.Rule == "deleted-files");
        Assert.Equal((1, 2, "Dockerfile:3", 300_000L), (deleted.Layer, deleted.ByLayer!.Value, deleted.BySource, deleted.Bytes));
        Assert.Equal(0, a.Layers[2].Size); // the cleanup layer holds nothing: it saved 0 bytes
        Assert.Equal(300_000, a.WastedBytes);
    }

    [Fact]
    public async Task Apt_cleanup_in_the_same_RUN_leaves_no_finding()
    {
        var a = await store.BuildAndAnalyzeAsync("apt-good:1",
            "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages && rm -rf /var/lib/apt/lists/*\n");
        Assert.Empty(a.Findings);
        Assert.Equal(0, a.WastedBytes);
    }

    [Fact]
    public async Task One_byte_appended_to_a_big_copied_file_is_a_big_file_copy_up()
    {
        var a = await store.BuildAndAnalyzeAsync("big-bad:1",
            "FROM bb:1\nCOPY big.dat /data/big.dat\nRUN echo x >> /data/big.dat\n",
            new Dictionary<string, byte[]> { ["big.dat"] = new byte[2_000_000] });

        var f = Assert.Single(a.Findings);
        Assert.Equal(("big-file-copy-up", 1, 2, "Dockerfile:2", "Dockerfile:3", 2_000_000L, "/data/big.dat"),
            (f.Rule, f.Layer, f.ByLayer!.Value, f.Source, f.BySource, f.Bytes, f.Paths[0].Path));
        Assert.Equal(2_000_002, a.Layers[2].Size);
    }

    [Fact]
    public async Task A_big_file_copied_in_its_final_form_leaves_no_finding()
    {
        var a = await store.BuildAndAnalyzeAsync("big-good:1", "FROM bb:1\nCOPY big.dat /data/big.dat\n",
            new Dictionary<string, byte[]> { ["big.dat"] = new byte[2_000_002] });
        Assert.Empty(a.Findings);
    }

    [Fact]
    public async Task A_chmod_only_RUN_is_a_metadata_copy_up_of_the_whole_file()
    {
        var a = await store.BuildAndAnalyzeAsync("chmod-bad:1",
            "FROM bb:1\nCOPY app.sh /app/app.sh\nRUN chmod +x /app/app.sh\n",
            new Dictionary<string, byte[]> { ["app.sh"] = Encoding.ASCII.GetBytes("#!/bin/sh\n" + new string('#', 4990)) });

        var f = Assert.Single(a.Findings);
        Assert.Equal(("metadata-copy-up", 1, 2, "Dockerfile:2", "Dockerfile:3", 5000L, "/app/app.sh"),
            (f.Rule, f.Layer, f.ByLayer!.Value, f.Source, f.BySource, f.Bytes, f.Paths[0].Path));
    }

    [Fact]
    public async Task COPY_chmod_leaves_no_finding()
    {
        var a = await store.BuildAndAnalyzeAsync("chmod-good:1", "FROM bb:1\nCOPY --chmod=755 app.sh /app/app.sh\n",
            new Dictionary<string, byte[]> { ["app.sh"] = Encoding.ASCII.GetBytes("#!/bin/sh\n" + new string('#', 4990)) });
        Assert.Empty(a.Findings);
    }
}
