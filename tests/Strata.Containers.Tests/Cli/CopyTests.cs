using System.Formats.Tar;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>strata cp</c> in both directions and <c>strata export</c>. Links planted in the container
/// (to <c>/</c>, through <c>..</c>, to absolute host-looking paths) must resolve inside the
/// container's root: sentinels on the host stay untouched and unread.
/// </summary>
[Collection(ContainerGroup.Name)]
public sealed class CopyTests(ContainerStore store) : IDisposable
{
    private readonly StrataCli _cli = store.Cli;
    private readonly TempDir _tempDir = new("strata-cp-");

    private const string PlantLinks = "ln -s / /escape; ln -s ../../../../../.. /dots; ln -s /etc /abs; mkdir /d; echo inner > /d/x; ln -s / /d/root";

    private async Task<string> ContainerWithLinksAsync(string name, string extra = "")
    {
        (await _cli.RunAsync("run", "--name", name, "base:1", "sh", "-c", PlantLinks + extra)).EnsureSuccess();
        return name;
    }

    private async Task<string> CatAsync(string container, string path)
    {
        // Read back through a commit: the container's own view of the file.
        var image = $"cp-check-{Guid.NewGuid():N}"[..20] + ":1";
        (await _cli.RunAsync("commit", container, image)).EnsureSuccess();
        var result = await _cli.RunAsync("run", "--rm", image, "cat", path);
        (await _cli.RunAsync("rmi", image)).EnsureSuccess();
        return result.EnsureSuccess().Stdout;
    }

    [Fact]
    public async Task Copying_in_through_links_to_root_dotdot_and_absolute_paths_lands_inside_the_container()
    {
        var c = await ContainerWithLinksAsync("cp-in");
        var unique = "strata-cp-sentinel-" + Guid.NewGuid().ToString("N")[..8];
        var source = Path.Combine(_tempDir.Path, unique);
        await File.WriteAllTextAsync(source, "payload\n");
        try
        {
            (await _cli.RunAsync("cp", source, c + ":/escape/")).EnsureSuccess();
            (await _cli.RunAsync("cp", source, c + ":/dots/tmp/" + unique)).EnsureSuccess();
            (await _cli.RunAsync("cp", source, c + ":/abs/" + unique)).EnsureSuccess();
            // Nothing reached the host's /, /tmp or /etc.
            Assert.False(File.Exists("/" + unique));
            Assert.False(File.Exists("/tmp/" + unique));
            Assert.False(File.Exists("/etc/" + unique));
            var diff = (await _cli.RunAsync("diff", c)).EnsureSuccess().Stdout;
            Assert.Contains($"A /{unique}\n", diff);
            Assert.Contains($"A /tmp/{unique}\n", diff);
            Assert.Contains($"A /etc/{unique}\n", diff);
            Assert.Equal("payload\n", await CatAsync(c, "/" + unique));
        }
        finally
        {
            (await _cli.RunAsync("rm", c)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task A_link_to_a_host_directory_cannot_be_written_through()
    {
        // The container names the host sentinel directory by its absolute path; inside the
        // container that path does not exist, so the copy fails and the host directory stays empty.
        var sentinel = Path.Combine(_tempDir.Path, "sentinel-dir");
        Directory.CreateDirectory(sentinel);
        var c = await ContainerWithLinksAsync("cp-hostlink", $"; ln -s {sentinel} /to-host");
        var source = Path.Combine(_tempDir.Path, "f");
        await File.WriteAllTextAsync(source, "x");
        try
        {
            var result = await _cli.RunAsync("cp", source, c + ":/to-host/f");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("cp-hostlink", result.Stderr);
            Assert.Empty(Directory.EnumerateFileSystemEntries(sentinel));
        }
        finally
        {
            (await _cli.RunAsync("rm", c)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Copying_out_through_links_reads_the_container_files_never_the_host_ones()
    {
        var c = await ContainerWithLinksAsync("cp-out", "; ln -s /etc/shadow /leak");
        try
        {
            // /escape/etc/passwd is the container's passwd (its root user has /bin/sh).
            var passwd = Path.Combine(_tempDir.Path, "passwd");
            (await _cli.RunAsync("cp", c + ":/escape/etc/passwd", passwd)).EnsureSuccess();
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(store.BaseRootfs, "etc", "passwd")), await File.ReadAllTextAsync(passwd));
            var viaDots = Path.Combine(_tempDir.Path, "passwd2");
            (await _cli.RunAsync("cp", c + ":/dots/etc/passwd", viaDots)).EnsureSuccess();
            Assert.Equal(await File.ReadAllTextAsync(passwd), await File.ReadAllTextAsync(viaDots));
            // The container has no /etc/shadow: following /leak must not find the host's.
            var leak = Path.Combine(_tempDir.Path, "leak-target");
            (await _cli.RunAsync("cp", c + ":/leak", leak)).EnsureSuccess();
            Assert.Equal("/etc/shadow", new FileInfo(leak).LinkTarget);
            // A trailing slash follows the link, inside the container, where there is nothing.
            var followed = await _cli.RunAsync("cp", c + ":/leak/", Path.Combine(_tempDir.Path, "followed"));
            Assert.Equal(1, followed.ExitCode);
            Assert.False(Path.Exists(Path.Combine(_tempDir.Path, "followed")));
            var shadow = await _cli.RunAsync("cp", c + ":/escape/etc/shadow", Path.Combine(_tempDir.Path, "shadow"));
            Assert.Equal(1, shadow.ExitCode);
            Assert.Contains("Could not find the file /escape/etc/shadow in container cp-out", shadow.Stderr);
            Assert.False(File.Exists(Path.Combine(_tempDir.Path, "shadow")));
        }
        finally
        {
            (await _cli.RunAsync("rm", c)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task A_directory_copies_out_whole_with_its_links_kept_as_links()
    {
        var c = await ContainerWithLinksAsync("cp-dir");
        try
        {
            (await _cli.RunAsync("cp", c + ":/d", _tempDir.Path)).EnsureSuccess();
            Assert.Equal("inner\n", await File.ReadAllTextAsync(Path.Combine(_tempDir.Path, "d", "x")));
            Assert.Equal("/", new FileInfo(Path.Combine(_tempDir.Path, "d", "root")).LinkTarget);
            // And a host directory copies in whole.
            var tree = Path.Combine(_tempDir.Path, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "sub"));
            await File.WriteAllTextAsync(Path.Combine(tree, "sub", "leaf"), "leaf\n");
            (await _cli.RunAsync("cp", tree, c + ":/srv")).EnsureSuccess();
            Assert.Equal("leaf\n", await CatAsync(c, "/srv/tree/sub/leaf"));
        }
        finally
        {
            (await _cli.RunAsync("rm", c)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Copying_into_a_running_container_uses_its_own_view_with_volumes_even_after_the_host_mount_is_lost()
    {
        var volume = Path.Combine(_tempDir.Path, "volume");
        Directory.CreateDirectory(volume);
        var id = (await _cli.RunAsync("run", "-d", "--name", "cp-live", "-v", volume + ":/mnt/vol", "base:1", "sleep", "1000")).EnsureSuccess().Stdout.Trim();
        try
        {
            var source = Path.Combine(_tempDir.Path, "live");
            await File.WriteAllTextAsync(source, "live\n");
            (await _cli.RunAsync("cp", source, "cp-live:/tmp/live")).EnsureSuccess();
            Assert.Equal("live\n", (await _cli.RunAsync("exec", "cp-live", "cat", "/tmp/live")).EnsureSuccess().Stdout);
            // Into the bind mount, as docker cp does: the file lands in the host directory.
            (await _cli.RunAsync("cp", source, "cp-live:/mnt/vol/")).EnsureSuccess();
            Assert.Equal("live\n", await File.ReadAllTextAsync(Path.Combine(volume, "live")));
            // The host-side mount of the root filesystem goes away: the container's own view remains.
            (await ProcessRunner.RunAsync("/bin/umount", "-l", Path.Combine(_cli.StoreRoot, "runtime", "mounts", id))).EnsureSuccess();
            (await _cli.RunAsync("exec", "cp-live", "sh", "-c", "echo made > /tmp/made")).EnsureSuccess();
            (await _cli.RunAsync("cp", "cp-live:/tmp/made", Path.Combine(_tempDir.Path, "made"))).EnsureSuccess();
            Assert.Equal("made\n", await File.ReadAllTextAsync(Path.Combine(_tempDir.Path, "made")));
        }
        finally
        {
            (await _cli.RunAsync("rm", "-f", "cp-live")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Export_writes_the_container_view_as_one_flat_tar()
    {
        (await _cli.RunAsync("run", "--name", "exp", "base:1", "sh", "-c", "echo new > /srv/new; rm /srv/data/old1")).EnsureSuccess();
        try
        {
            var tar = Path.Combine(_tempDir.Path, "exp.tar");
            (await _cli.RunAsync("export", "-o", tar, "exp")).EnsureSuccess();
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var stream = File.OpenRead(tar))
            {
                using var reader = new TarReader(stream);
                while (reader.GetNextEntry() is { } entry)
                {
                    using var content = new StreamReader(entry.DataStream ?? Stream.Null);
                    entries[entry.Name.TrimEnd('/')] = content.ReadToEnd();
                }
            }
            Assert.Equal("new\n", entries["srv/new"]);
            Assert.Equal("two\n", entries["srv/data/old2"]);
            Assert.False(entries.ContainsKey("srv/data/old1"));
            Assert.Contains("bin/busybox", entries.Keys);
            Assert.DoesNotContain(entries.Keys, k => k.Contains(".wh.", StringComparison.Ordinal));
            // To stdout too, byte for byte the same tree.
            var piped = Path.Combine(_tempDir.Path, "exp2.tar");
            (await _cli.RunAsync(["export", "exp"], new RunOptions { StdoutFile = piped })).EnsureSuccess();
            Assert.True(new FileInfo(piped).Length > 0);
        }
        finally
        {
            (await _cli.RunAsync("rm", "exp")).EnsureSuccess();
        }
    }

    public void Dispose() => _tempDir.Dispose();
}
