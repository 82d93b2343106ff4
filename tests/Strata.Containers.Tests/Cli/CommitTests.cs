using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Strata.Containers.Tests.Fixtures;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary><c>strata commit</c>: the writable layer becomes a new image layer with whiteouts.</summary>
[Collection(ContainerGroup.Name)]
public sealed class CommitTests(ContainerStore store)
{
    private readonly StrataCli _cli = store.Cli;

    private const string Changes = "echo hello > /test.txt; echo more >> /etc/motd; rm /srv/data/old1; rm -r /root; mkdir /root; echo r > /root/fresh";

    [Fact]
    public async Task The_committed_image_has_the_container_view_and_runs_with_the_changes()
    {
        (await _cli.RunAsync("run", "--name", "c-view", "base:1", "sh", "-c", Changes + "; ls -lR /bin /etc /root /srv /tmp /test.txt > /listing")).EnsureSuccess();
        (await _cli.RunAsync("commit", "-m", "walkthrough", "c-view", "committed:1")).EnsureSuccess();

        var run = (await _cli.RunAsync("run", "--rm", "committed:1", "sh", "-c", "cat /test.txt /etc/motd /root/fresh; ls /srv/data")).EnsureSuccess();
        Assert.Equal("hello\nbase image\nmore\nr\nold2\n", run.Stdout);

        var rootfs = Path.Combine(store.Root, "unpacked-committed");
        (await _cli.RunAsync("image", "unpack", "committed:1", rootfs)).EnsureSuccess();
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(rootfs, "test.txt")));
        Assert.Equal("base image\nmore\n", File.ReadAllText(Path.Combine(rootfs, "etc", "motd")));
        Assert.False(File.Exists(Path.Combine(rootfs, "srv", "data", "old1")));
        Assert.True(File.Exists(Path.Combine(rootfs, "srv", "data", "old2")));
        Assert.Equal(["fresh"], Directory.GetFileSystemEntries(Path.Combine(rootfs, "root")).Select(Path.GetFileName));

        // What the container saw (its own ls -R of / at the end) equals the unpacked image's tree.
        var seen = (await _cli.RunAsync("run", "--rm", "committed:1", "cat", "/listing")).EnsureSuccess().Stdout;
        var again = (await _cli.RunAsync("run", "--rm", "committed:1", "ls", "-lR", "/bin", "/etc", "/root", "/srv", "/tmp", "/test.txt")).EnsureSuccess().Stdout;
        Assert.Equal(WithoutRunFiles(seen), WithoutRunFiles(again));

        var history = (await _cli.RunAsync("history", "committed:1")).EnsureSuccess().Stdout;
        Assert.Contains("walkthrough", history);
        (await _cli.RunAsync("rm", "c-view")).EnsureSuccess();
    }

    // Every run makes its own /etc/hostname, /etc/hosts and /etc/resolv.conf (as docker does), so
    // their times are the run's: two runs a minute apart list them differently.
    private static string WithoutRunFiles(string listing) =>
        string.Join('\n', listing.Split('\n').Where(line => !line.EndsWith(" hostname", StringComparison.Ordinal)
            && !line.EndsWith(" hosts", StringComparison.Ordinal) && !line.EndsWith(" resolv.conf", StringComparison.Ordinal)));

    [Fact]
    public async Task The_new_layer_in_strata_save_holds_whiteouts_for_deletions_and_an_opaque_marker()
    {
        (await _cli.RunAsync("run", "--name", "c-save", "base:1", "sh", "-c", Changes)).EnsureSuccess();
        (await _cli.RunAsync("commit", "c-save", "saved:1")).EnsureSuccess();
        var archive = Path.Combine(store.Root, "saved.tar");
        (await _cli.RunAsync("save", "-o", archive, "saved:1")).EnsureSuccess();

        var files = ReadTar(File.OpenRead(archive));
        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        var layers = manifest.RootElement[0].GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(2, layers.Count);
        var top = ReadTar(Decompress(files[layers[^1]])).Keys.Select(k => k.TrimEnd('/')).ToHashSet();
        Assert.Contains("srv/data/.wh.old1", top);
        Assert.Contains("root/.wh..wh..opq", top);
        Assert.Contains("root/fresh", top);
        Assert.Contains("test.txt", top);
        Assert.Contains("etc/motd", top);
        Assert.DoesNotContain("bin/busybox", top);
        (await _cli.RunAsync("rm", "c-save")).EnsureSuccess();
    }

    [Fact]
    public async Task Change_instructions_set_the_config_of_the_committed_image()
    {
        (await _cli.RunAsync("run", "--name", "c-change", "base:1", "sh", "-c", "echo hi > /greeting")).EnsureSuccess();
        (await _cli.RunAsync("commit", "-c", "ENV GREETING=yes", "-c", "CMD [\"cat\", \"/greeting\"]", "c-change", "changed:1")).EnsureSuccess();
        Assert.Equal("hi\n", (await _cli.RunAsync("run", "--rm", "changed:1")).EnsureSuccess().Stdout);
        Assert.Equal("yes\n", (await _cli.RunAsync("run", "--rm", "changed:1", "sh", "-c", "echo $GREETING")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "c-change")).EnsureSuccess();
    }

    private static Dictionary<string, byte[]> ReadTar(Stream stream)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            result[entry.Name] = data.ToArray();
        }
        return result;
    }

    private static Stream Decompress(byte[] blob) =>
        blob is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(blob), CompressionMode.Decompress) : new MemoryStream(blob);
}
