using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Store;

/// <summary>
/// A reboot after a build. Build steps and unpacked layers are written unsynced (overlay mounted
/// volatile), so the snapshot metadata carries the boot's id; in another boot those snapshots
/// may have lost data in a crash, and the store must make them again from the layer blobs,
/// which were synced. The reboot is played by rewriting the recorded boot id, which is the
/// state a real reboot leaves (the kernel's boot id changes, the file does not).
/// </summary>
public sealed class RebootTests : IDisposable
{
    private const string EarlierBoot = "00000000-0000-4000-8000-000000000000";

    private readonly Workspace _ws = new();

    private string Metadata => Path.Combine(_ws.Strata.StoreRoot, "snapshotter", "metadata.json");

    [Fact]
    public async Task After_a_reboot_a_builds_snapshots_are_made_again_from_its_layers_and_the_image_is_unchanged()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        string context = _ws.Scratch.NewDir("ctx");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busy:1\nRUN echo one > /f\nRUN echo two >> /f\n");
        string id = await _ws.Strata.OkAsync("build", "-q", "-t", "app:1", context);
        string bootId = (await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim();
        string written = await File.ReadAllTextAsync(Metadata);
        Assert.Equal(3, Occurrences(written, $"\"strata.unsynced-boot\": \"{bootId}\""));

        await File.WriteAllTextAsync(Metadata, written.Replace(bootId, EarlierBoot, StringComparison.Ordinal));

        // run unpacks the three layers again; its container's snapshot is durable, so it syncs them.
        Assert.Equal("one\ntwo\n", await _ws.Strata.OkAsync("run", "--rm", "app:1", "cat", "/f"));
        string rewritten = await File.ReadAllTextAsync(Metadata);
        Assert.DoesNotContain(EarlierBoot, rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("strata.unsynced-boot", rewritten, StringComparison.Ordinal);
        var rebuild = (await _ws.Strata.RunAsync("build", "--progress", "plain", "-t", "app:1", context)).EnsureSuccess();
        Assert.DoesNotContain("CACHE MISS", rebuild.Stderr, StringComparison.Ordinal);
        Assert.Equal(id, await _ws.Strata.OkAsync("images", "-q", "--no-trunc", "app:1"));
        Assert.Equal("checked 7 blobs, 2 images, 3 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    [Fact]
    public async Task After_a_reboot_a_build_on_lost_snapshots_unpacks_them_and_runs_its_new_step_on_them()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        string context = _ws.Scratch.NewDir("ctx");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busy:1\nRUN echo one > /f\nARG N\nRUN cat /f > /g && echo $N >> /g\n");
        await _ws.Strata.OkAsync("build", "-q", "--build-arg", "N=1", "-t", "app:1", context);
        string written = await File.ReadAllTextAsync(Metadata);
        string bootId = (await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim();
        await File.WriteAllTextAsync(Metadata, written.Replace(bootId, EarlierBoot, StringComparison.Ordinal));

        var rebuild = (await _ws.Strata.RunAsync("build", "--progress", "plain", "--build-arg", "N=2", "-t", "app:2", context)).EnsureSuccess();

        Assert.Equal(1, Occurrences(rebuild.Stderr, "CACHE MISS"));
        Assert.Equal("one\n2\n", await _ws.Strata.OkAsync("run", "--rm", "app:2", "cat", "/g"));
        Assert.DoesNotContain(EarlierBoot, await File.ReadAllTextAsync(Metadata), StringComparison.Ordinal);
        await _ws.AssertCheckPassesAsync();
    }

    public void Dispose() => _ws.Dispose();

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
