using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15's fallback: where the kernel refuses overlayfs in a user namespace, rootless
/// snapshots are mounted by fuse-overlayfs. This kernel allows overlay, so the tests force the
/// fallback with <c>STRATA_SNAPSHOTTER=fuse-overlayfs</c> and compare with the native path: the
/// same Dockerfiles (RUN, a cache mount, a chown, whiteouts, a directory replaced and new ones)
/// give the same image IDs.
/// In the dockerd collection with <see cref="RootlessTests"/>, whose scan for the user's new files
/// must not see this class's processes (a JIT strata leaves /tmp/clr-debug-pipe-* while it runs).
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessFuseOverlayTests : IClassFixture<RootlessHost>, IDisposable
{
    private const string Replacing = """
        FROM busybox:demo
        RUN mkdir -p /data/old/deep && echo o > /data/old/deep/f && echo k > /data/keep
        RUN rm -rf /data/old && mkdir -p /data/old/new && echo n > /data/old/new/n && mkdir -p /fresh/sub && echo f > /fresh/sub/f
        RUN rm -rf /fresh && mkdir /fresh && echo again > /fresh/g && rm /data/keep
        """;

    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private readonly RootlessHost _host;
    private readonly TempDir _native = new();
    private readonly TempDir _fuse = new();

    public RootlessFuseOverlayTests(RootlessHost host) => _host = host;

    public void Dispose()
    {
        _native.Dispose();
        _fuse.Dispose();
    }

    /// <summary>A rootless user with a store of its own and busybox:demo imported from one tar shared by both users (same mtimes, same base).</summary>
    private async Task<RootlessStrata> UserAsync(TempDir scratch, params string[] environment)
    {
        var strata = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, scratch, Epoch, environment);
        string tar = _native.PathOf("busybox.tar");
        if (!File.Exists(tar))
        {
            await BaseRootfs.TarAsync(BaseRootfs.Create(_native.NewDir("rootfs")), tar);
            File.SetUnixFileMode(tar, (UnixFileMode)0x1A4);
        }
        await strata.OkAsync("import", tar, "busybox:demo");
        return strata;
    }

    private static async Task<string> BuildAsync(RootlessStrata strata, string name, string dockerfile)
    {
        string context = Path.Combine(strata.Home, name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        await strata.ChownAsync(context);
        return await strata.OkAsync("build", "-q", "-t", name + ":1", context);
    }

    [Fact]
    public async Task Forced_fuse_overlayfs_builds_with_RUN_give_the_image_ids_of_kernel_overlay_and_info_and_debug_name_it()
    {
        var native = await UserAsync(_native);
        var fuse = await UserAsync(_fuse, "STRATA_SNAPSHOTTER=fuse-overlayfs");

        Assert.Contains("Snapshotter:    overlay (userxattr)\n", await native.OkAsync("info"), StringComparison.Ordinal);
        Assert.Contains("Snapshotter:    fuse-overlayfs\n", await fuse.OkAsync("info"), StringComparison.Ordinal);
        Assert.Equal("fuse-overlayfs\n", await File.ReadAllTextAsync(Path.Combine(fuse.StoreRoot, "snapshotter", "kind")));

        string nativeMulti = await BuildAsync(native, "multi", RootlessTests.MultiStage);
        var debug = (await fuse.RunAsync("--debug", "build", "-q", "-t", "multi:1", await ContextAsync(fuse, "multi", RootlessTests.MultiStage))).EnsureSuccess();
        string nativeReplacing = await BuildAsync(native, "replacing", Replacing);
        string fuseReplacing = await BuildAsync(fuse, "replacing", Replacing);

        Assert.Matches("^sha256:[0-9a-f]{64}\n$", nativeMulti);
        Assert.Equal(nativeMulti, debug.Stdout);
        Assert.Contains("debug: snapshotter fuse-overlayfs\n", debug.Stderr, StringComparison.Ordinal);
        Assert.Equal(nativeReplacing, fuseReplacing);
        Assert.Equal("1000 1000 /owned/g\ncached\n", await fuse.OkAsync("run", "--rm", "multi:1", "sh", "-c", "busybox stat -c '%u %g %n' /owned/g && cat /out/f"));
        Assert.Equal("/data:\nold\n\n/data/old:\nnew\n\n/data/old/new:\nn\n\n/fresh:\ng\n", await fuse.OkAsync("run", "--rm", "replacing:1", "ls", "/data", "/data/old", "/data/old/new", "/fresh"));
    }

    [Fact]
    public async Task A_fuse_overlayfs_container_diffs_and_commits_as_a_kernel_overlay_one()
    {
        var native = await UserAsync(_native);
        var fuse = await UserAsync(_fuse, "STRATA_SNAPSHOTTER=fuse-overlayfs");
        const string Change = "rm -rf /data/old && mkdir -p /data/old/x /made && echo m > /made/m && rm /bin/sleep /etc/group";
        foreach (var strata in (RootlessStrata[])[native, fuse])
        {
            await BuildAsync(strata, "data", "FROM busybox:demo\nRUN mkdir -p /data/old/deep && echo o > /data/old/deep/f && echo k > /data/keep\n");
            (await strata.RunAsync("run", "--name", "c1", "data:1", "sh", "-c", Change)).EnsureSuccess();
        }

        string diff = await native.OkAsync("diff", "c1");
        Assert.Equal("C /bin\nD /bin/sleep\nC /data\nC /data/old\nD /data/old/deep\nA /data/old/x\nC /etc\nD /etc/group\nA /made\nA /made/m\n", diff);
        Assert.Equal(diff, await fuse.OkAsync("diff", "c1"));
        var listings = new List<string>();
        foreach (var strata in (RootlessStrata[])[native, fuse])
        {
            await strata.OkAsync("commit", "c1", "committed:1");
            string archive = Path.Combine(strata.Home, "committed.tar");
            await strata.OkAsync("save", "-o", archive, "committed:1");
            listings.Add(await LastLayerListingAsync(archive, Path.Combine(strata.Home, "saved")));
        }

        // A container's files have the times of their run: the listings leave them out.
        Assert.Equal(
            "drwxr-xr-x 0/0 bin/\n---------- 0/0 bin/.wh.sleep\ndrwxr-xr-x 0/0 data/\ndrwxr-xr-x 0/0 data/old/\n---------- 0/0 data/old/.wh..wh..opq\n" +
            "drwxr-xr-x 0/0 data/old/x/\ndrwxr-xr-x 0/0 etc/\n---------- 0/0 etc/.wh.group\ndrwxr-xr-x 0/0 made/\n-rw-r--r-- 0/0 made/m\n",
            listings[0]);
        Assert.Equal(listings[0], listings[1]);
    }

    private static async Task<string> ContextAsync(RootlessStrata strata, string name, string dockerfile)
    {
        string context = Path.Combine(strata.Home, name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        await strata.ChownAsync(context);
        return context;
    }

    /// <summary>The last layer of a saved archive as "mode uid/gid path" lines (<c>tar -tv --numeric-owner</c> without sizes and times).</summary>
    private static async Task<string> LastLayerListingAsync(string archive, string dir)
    {
        Directory.CreateDirectory(dir);
        await Tools.OkAsync(Tools.Tar, "-C", dir, "-xf", archive);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json")))!;
        string layer = manifest[0]!["Layers"]!.AsArray()[^1]!.GetValue<string>();
        string listing = await Tools.OkAsync(Tools.Tar, "--numeric-owner", "-tvf", Path.Combine(dir, layer));
        return string.Concat(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => $"{f[0]} {f[1]} {string.Join(' ', f[5..])}\n"));
    }
}
