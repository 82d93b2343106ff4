using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15: every command as an unprivileged user, in the user namespace strata enters by
/// itself (the user as root plus its /etc/subuid range), with the same images as root. The users
/// are real (<see cref="RootlessHost"/>), strata runs through setpriv, never sudo.
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessTests : IClassFixture<RootlessHost>, IDisposable
{
    internal const string MultiStage = """
        FROM busybox:demo AS build
        RUN --mount=type=cache,target=/cache echo cached > /cache/c && mkdir /out && cat /cache/c > /out/f
        FROM busybox:demo
        COPY --from=build /out /out
        RUN mkdir /owned && echo x > /owned/g && busybox chown -R 1000:1000 /owned && rm /bin/sleep
        """;

    private readonly RootlessHost _host;
    private readonly Dockerd _docker;
    private readonly TempDir _scratch = new();

    public RootlessTests(RootlessHost host, Dockerd docker)
    {
        _host = host;
        _docker = docker;
    }

    public void Dispose() => _scratch.Dispose();

    private async Task<RootlessStrata> UserAsync(string user = RootlessHost.RangedUser, DateTimeOffset? epoch = null)
    {
        var strata = await RootlessStrata.CreateAsync(_host, user, _scratch, epoch);
        string rootfs = BaseRootfs.Create(Path.Combine(strata.Home, "rootfs"));
        await strata.ChownAsync(rootfs);
        return strata;
    }

    private static async Task<string> ContextAsync(RootlessStrata strata, string name, string dockerfile)
    {
        string context = Path.Combine(strata.Home, name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        await strata.ChownAsync(context);
        return context;
    }

    [Fact]
    public async Task Info_shows_the_default_store_the_mapping_of_the_subordinate_range_and_overlay_with_userxattr()
    {
        var strata = await UserAsync();
        string subuid = SubordinateStart("/etc/subuid", strata.User), subgid = SubordinateStart("/etc/subgid", strata.User);

        var info = await strata.RunAsync("info");

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal("", info.Stderr);
        Assert.Equal(
            $"Store:          {strata.StoreRoot}\n" +
            $"Rootless:       yes (uid {strata.Uid})\n" +
            "Snapshotter:    overlay (userxattr)\n" +
            $"User namespace: 0 {strata.Uid} 1, 1 {subuid} 65536; gids 0 {strata.Gid} 1, 1 {subgid} 65536\n" +
            $"Runtime state:  {strata.RuntimeDirectory}/strata\n",
            info.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(strata.StoreRoot));
        Assert.Equal(strata.Uid, OwnerOf(strata.StoreRoot));
    }

    [Fact]
    public async Task The_layer_demo_and_a_multi_stage_build_with_a_cache_mount_and_chown_run_diff_commit_cp_and_save_rootless()
    {
        var strata = await UserAsync();
        var marker = DateTime.UtcNow.AddSeconds(-1);
        await strata.OkAsync("import", Path.Combine(strata.Home, "rootfs"), "busybox:demo");
        string demo = Path.Combine(strata.Home, "layer-test");
        Directory.CreateDirectory(demo);
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples", "layer-test")))
            File.Copy(file, Path.Combine(demo, Path.GetFileName(file)));
        await strata.ChownAsync(demo);

        var debug = (await strata.RunAsync("--debug", "build", "-q", "-t", "demo:1", demo)).EnsureSuccess();
        string subuid = SubordinateStart("/etc/subuid", strata.User), subgid = SubordinateStart("/etc/subgid", strata.User);
        Assert.Equal(
            $"debug: rootless: entering a user namespace with uids 0 {strata.Uid} 1, 1 {subuid} 65536 and gids 0 {strata.Gid} 1, 1 {subgid} 65536\n" +
            "debug: snapshotter overlay (userxattr)\n",
            debug.Stderr);
        Assert.Equal("Layer 1\nLayer 2\nLayer 3\n", await strata.OkAsync("run", "--rm", "demo:1", "cat", "/file1.txt", "/file2.txt", "/file3.txt"));

        string context = await ContextAsync(strata, "multi", MultiStage);
        await strata.OkAsync("build", "-q", "-t", "multi:1", context);
        Assert.Equal("cached\n", await strata.OkAsync("run", "--rm", "multi:1", "cat", "/out/f"));
        Assert.Equal("1000 1000 /owned/g\n", await strata.OkAsync("run", "--rm", "multi:1", "busybox", "stat", "-c", "%u %g %n", "/owned/g"));

        (await strata.RunAsync("run", "--name", "c1", "multi:1", "sh", "-c", "echo new > /newfile && rm /etc/group")).EnsureSuccess();
        Assert.Equal("C /etc\nD /etc/group\nA /newfile\n", await strata.OkAsync("diff", "c1"));
        await strata.OkAsync("commit", "c1", "committed:1");
        Assert.Equal("new\n", await strata.OkAsync("run", "--rm", "committed:1", "cat", "/newfile"));
        var missing = await strata.RunAsync("run", "--rm", "committed:1", "cat", "/etc/group");
        Assert.Equal(1, missing.ExitCode);

        string copied = Path.Combine(strata.Home, "copied");
        await strata.OkAsync("cp", "c1:/newfile", copied);
        Assert.Equal("new\n", await File.ReadAllTextAsync(copied));
        Assert.Equal(strata.Uid, OwnerOf(copied));

        // The saved archive keeps the chown in its last layer, and the deletion as a whiteout.
        string archive = Path.Combine(strata.Home, "multi.tar");
        await strata.OkAsync("save", "-o", archive, "multi:1");
        var listing = await LastLayerListingAsync(archive);
        Assert.Contains("drwxr-xr-x 1000/1000 owned/", listing, StringComparer.Ordinal);
        Assert.Contains("-rw-r--r-- 1000/1000 owned/g", listing, StringComparer.Ordinal);
        Assert.Contains("---------- 0/0 bin/.wh.sleep", listing, StringComparer.Ordinal);

        // Nothing of the user's appeared outside its own directory. Other test processes create and
        // delete their runtime sockets in /tmp while find walks it: those races are not findings.
        var outside = await Tools.FindAsync("/tmp", "/var/tmp", "/home/" + strata.User, "-ignore_readdir_race", "-xdev", "-user", strata.User,
            "-newermt", marker.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC", "-not", "-path", strata.Home + "*");
        Assert.Equal("", outside);
    }

    [SkippableFact]
    public async Task A_rootless_save_loads_into_docker_and_runs_with_the_chowned_owner()
    {
        _docker.SkipIfUnavailable();
        var strata = await UserAsync();
        await strata.OkAsync("import", Path.Combine(strata.Home, "rootfs"), "busybox:demo");
        string context = await ContextAsync(strata, "multi", MultiStage);
        await strata.OkAsync("build", "-q", "-t", "rootless/multi:1", context);
        string archive = Path.Combine(strata.Home, "multi.tar");
        await strata.OkAsync("save", "-o", archive, "rootless/multi:1");

        Assert.Equal("Loaded image: rootless/multi:1\n", await _docker.OkAsync("load", "-i", archive));
        Assert.Equal(await strata.OkAsync("inspect", "--format", "{{.Id}}", "rootless/multi:1"), await _docker.OkAsync("image", "inspect", "--format", "{{.Id}}", "rootless/multi:1"));
        Assert.Equal("1000 1000 /owned/g\ncached\n",
            await _docker.OkAsync("run", "--rm", "--network=none", "rootless/multi:1", "sh", "-c", "busybox stat -c '%u %g %n' /owned/g && cat /out/f"));
        await _docker.OkAsync("rmi", "rootless/multi:1");
    }

    [Fact]
    public async Task With_SOURCE_DATE_EPOCH_the_rootless_build_has_the_image_id_of_the_root_build()
    {
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var strata = await UserAsync(epoch: epoch);
        string tar = await BaseRootfs.TarAsync(Path.Combine(strata.Home, "rootfs"), Path.Combine(_scratch.Path, "busybox.tar"));
        File.SetUnixFileMode(tar, (UnixFileMode)0x1A4);
        string context = await ContextAsync(strata, "multi", MultiStage);
        var root = new StrataCli(Path.Combine(_scratch.Path, "root-store")) { SourceDateEpoch = epoch };

        string rootImport = await root.OkAsync("import", tar, "busybox:demo");
        string rootBuild = await root.OkAsync("build", "-q", "-t", "multi:1", context);
        string rootlessImport = await strata.OkAsync("import", tar, "busybox:demo");
        string rootlessBuild = await strata.OkAsync("build", "-q", "-t", "multi:1", context);

        Assert.Matches("^sha256:[0-9a-f]{64}\n$", rootBuild);
        Assert.Equal(rootImport, rootlessImport);
        Assert.Equal(rootBuild, rootlessBuild);
    }

    [Fact]
    public async Task A_store_made_by_root_is_refused_to_the_user_and_the_users_store_to_root_in_one_line()
    {
        var strata = await UserAsync();
        string rootStore = Path.Combine(_scratch.Path, "root-store");
        await new StrataCli(rootStore).OkAsync("images");

        var refused = await strata.RunAsync("--root", rootStore, "images");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.Stdout);
        Assert.Equal($"Error: store root {rootStore} was made by root (uid 0); rootless strata (uid {strata.Uid}) cannot use it: use a store of your own (--root, default $XDG_DATA_HOME/strata)\n", refused.Stderr);

        await strata.OkAsync("images");
        var reverse = await new StrataCli(strata.StoreRoot).RunAsync("images");

        Assert.Equal(1, reverse.ExitCode);
        Assert.Equal("", reverse.Stdout);
        Assert.Equal($"Error: store root {strata.StoreRoot} belongs to uid {strata.Uid}, not to you (uid 0): use a store of your own (--root)\n", reverse.Stderr);
    }

    [Fact]
    public async Task Without_subordinate_ranges_the_user_alone_is_mapped_with_one_warning_and_a_chown_to_another_user_fails()
    {
        var strata = await UserAsync(RootlessHost.SingleUser);
        string warning = $"warning: /etc/subuid gives {strata.User} no subordinate range: only your own id is mapped (as root), so files owned by other users (a RUN chown, a package's own user) cannot be created\n";

        var info = await strata.RunAsync("info");

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal(warning, info.Stderr);
        Assert.Contains($"User namespace: 0 {strata.Uid} 1; gids 0 {strata.Gid} 1\n", info.Stdout, StringComparison.Ordinal);

        await strata.OkAsync("import", Path.Combine(strata.Home, "rootfs"), "busybox:demo");
        Assert.Equal("hello\n", await strata.OkAsync("run", "--rm", "busybox:demo", "echo", "hello"));
        string context = await ContextAsync(strata, "chown", "FROM busybox:demo\nRUN echo x > /f && busybox chown 1000 /f\n");
        var build = await strata.RunAsync("build", "-q", "-t", "chown:1", context);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("Invalid argument", build.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cp_through_links_planted_in_a_rootless_container_stays_inside_it()
    {
        var strata = await UserAsync();
        await strata.OkAsync("import", Path.Combine(strata.Home, "rootfs"), "busybox:demo");
        (await strata.RunAsync("run", "--name", "planted", "busybox:demo", "sh", "-c", $"mkdir -p {strata.Home} && ln -s / /escape && ln -s ../../../../../.. /dots")).EnsureSuccess();
        string source = Path.Combine(strata.Home, "payload");
        await File.WriteAllTextAsync(source, "payload\n");
        await strata.ChownAsync(source);
        string hostTarget = Path.Combine(strata.Home, "landed");

        await strata.OkAsync("cp", source, "planted:/escape" + hostTarget);
        await strata.OkAsync("cp", "planted:/dots/etc/passwd", Path.Combine(strata.Home, "passwd"));

        Assert.False(File.Exists(hostTarget), "cp followed a planted link out of the container to " + hostTarget);
        Assert.Equal("root:x:0:0:root:/root:/bin/sh\n", await File.ReadAllTextAsync(Path.Combine(strata.Home, "passwd")));
        await strata.OkAsync("commit", "planted", "planted:1");
        Assert.Equal("payload\n", await strata.OkAsync("run", "--rm", "planted:1", "cat", hostTarget));
    }

    [Fact]
    public async Task An_archive_entry_climbing_out_is_refused_and_one_through_a_planted_symlink_lands_inside_rootless()
    {
        var strata = await UserAsync();
        string climbing = Path.Combine(strata.Home, "climbing.tar"), planted = Path.Combine(strata.Home, "planted.tar");
        await HostileTarAsync(climbing, strata.Home, climb: true);
        await HostileTarAsync(planted, strata.Home, climb: false);
        await strata.ChownAsync(climbing);
        await strata.ChownAsync(planted);

        var refused = await strata.RunAsync("import", climbing, "climbing:1");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"Error: layer {climbing}: entry \"../../pwned\": name climbs out of the root (archive entry #6)\n", refused.Stderr);
        Assert.Equal("", await strata.OkAsync("images", "-q"));

        await strata.OkAsync("import", planted, "planted:1");
        Assert.Equal("bad", await strata.OkAsync("run", "--rm", "planted:1", "/bin/busybox", "cat", Path.Combine(strata.Home, "pwned")));
        Assert.False(File.Exists(Path.Combine(strata.Home, "pwned")), "a layer entry followed its own symlink out of the container");
    }

    /// <summary>busybox, then a symlink <c>escape</c> to <paramref name="home"/> and <c>escape/pwned</c> through it; with <paramref name="climb"/> also <c>../../pwned</c>.</summary>
    private static async Task HostileTarAsync(string path, string home, bool climb)
    {
        await using var file = File.Create(path);
        using var tar = new System.Formats.Tar.TarWriter(file, System.Formats.Tar.TarEntryFormat.Pax);
        tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.Directory, "bin") { Mode = (UnixFileMode)0x1ED });
        tar.WriteEntry(Tools.Busybox, "bin/busybox");
        tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
        tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "escape") { LinkName = home });
        tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "escape/pwned") { DataStream = new MemoryStream("bad"u8.ToArray()) });
        if (climb) tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../pwned") { DataStream = new MemoryStream("bad"u8.ToArray()) });
    }

    private static int OwnerOf(string path) => global::Strata.Core.Unix.Libc.Lstat(path).Uid;

    private static string SubordinateStart(string file, string user) =>
        File.ReadAllLines(file).Select(l => l.Split(':')).First(f => f[0] == user)[1];

    /// <summary>The last layer of a saved archive as <c>tar -tv --numeric-owner</c> lines: "mode uid/gid path".</summary>
    private async Task<List<string>> LastLayerListingAsync(string archive)
    {
        string dir = Path.Combine(_scratch.Path, "saved-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        await Tools.OkAsync(Tools.Tar, "-C", dir, "-xf", archive);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json")))!;
        string layer = manifest[0]!["Layers"]!.AsArray()[^1]!.GetValue<string>();
        string listing = await Tools.OkAsync(Tools.Tar, "--numeric-owner", "-tvf", Path.Combine(dir, layer));
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => $"{f[0]} {f[1]} {string.Join(' ', f[5..])}")
            .ToList();
    }
}
