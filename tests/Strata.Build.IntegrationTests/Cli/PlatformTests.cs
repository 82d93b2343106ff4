using System.Runtime.InteropServices;
using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// <c>--platform</c> and <c>FROM --platform</c>: a store holding the same base for the host and
/// for a foreign architecture (each imported with <c>import --platform</c>, with a marker file so
/// their layers differ); builds take the base of the asked platform, the config and TARGET* args
/// say it, COPY-only builds for the foreign platform work, RUN there fails before any runtime
/// starts unless binfmt_misc can run it, and a base of the wrong platform is refused.
/// </summary>
public sealed class PlatformTests : IClassFixture<BaseStore>
{
    private static readonly string HostArch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
    private static readonly string ForeignArch = HostArch == "amd64" ? "arm64" : "amd64";
    private readonly BaseStore _base;

    public PlatformTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Each_platform_builds_on_its_own_base_and_the_config_says_it()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("both");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "ARG BASE\nFROM ${BASE}\nARG TARGETARCH\nARG TARGETPLATFORM\nLABEL arch=$TARGETARCH platform=$TARGETPLATFORM\nCOPY a.txt /a.txt\n");

        foreach (var (arch, image) in new[] { (ForeignArch, "base-foreign:1"), (HostArch, "base:1") })
        {
            var tag = "plat-" + arch + ":1";
            (await strata.RunAsync("build", "-q", "--platform", "linux/" + arch, "--build-arg", "BASE=" + image, "-t", tag, context)).EnsureSuccess();
            using var built = await InspectAsync(strata, tag);
            using var baseImage = await InspectAsync(strata, image);
            var config = built.RootElement[0];
            Assert.Equal(arch, config.GetProperty("Architecture").GetString());
            Assert.Equal("linux", config.GetProperty("Os").GetString());
            var labels = config.GetProperty("Config").GetProperty("Labels");
            Assert.Equal(arch, labels.GetProperty("arch").GetString());
            Assert.Equal("linux/" + arch, labels.GetProperty("platform").GetString());
            var layers = config.GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
            var baseLayers = baseImage.RootElement[0].GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ToList();
            Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
            Assert.Equal(baseLayers.Count + 1, layers.Count);
            var root = Path.Combine(_base.Root, "both-" + arch);
            await ImageTrees.UnpackStrataAsync(strata, tag, root);
            Assert.Equal(arch == ForeignArch ? "foreign\n" : "base image\n", await File.ReadAllTextAsync(Path.Combine(root, "etc", "motd")));
            Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(root, "a.txt")));
        }
    }

    [Fact]
    public async Task From_platform_picks_the_stage_platform_without_the_flag_also_for_scratch()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("from-flag");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM --platform=linux/{ForeignArch} base-foreign:1\nCOPY a.txt /a.txt\n");
        await File.WriteAllTextAsync(Path.Combine(context, "scratch.Dockerfile"), $"FROM --platform=linux/{ForeignArch} scratch\nCOPY a.txt /a.txt\n");

        (await strata.RunAsync("build", "-q", "-t", "from-flag:1", context)).EnsureSuccess();
        (await strata.RunAsync("build", "-q", "-t", "from-scratch:1", "-f", Path.Combine(context, "scratch.Dockerfile"), context)).EnsureSuccess();

        foreach (var tag in new[] { "from-flag:1", "from-scratch:1" })
        {
            using var doc = await InspectAsync(strata, tag);
            Assert.Equal(ForeignArch, doc.RootElement[0].GetProperty("Architecture").GetString());
        }
    }

    [Fact]
    public async Task Run_for_a_foreign_platform_without_binfmt_fails_naming_the_line_and_platform()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("run-foreign");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base-foreign:1\nCOPY a.txt /a.txt\nRUN cat /a.txt\n");

        // This host's handlers do not matter: the build sees a binfmt_misc holding none.
        var result = await BuildWithBinfmtAsync(strata, "no-handler", [], "build", "--progress", "plain", "--platform", "linux/" + ForeignArch, "-t", "run-foreign:1", context);

        StrataExit.AssertFailed(StrataExit.Failure, result.ExitCode, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:3", error, StringComparison.Ordinal);
        Assert.Contains("linux/" + ForeignArch, error, StringComparison.Ordinal);
        Assert.EndsWith($"no binfmt_misc handler for linux/{ForeignArch} ({Qemu(ForeignArch)}) in /proc/sys/fs/binfmt_misc: "
            + $"install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable {Qemu(ForeignArch)})", error, StringComparison.Ordinal);
        Assert.DoesNotContain("runc", result.Stderr, StringComparison.Ordinal);
        StrataExit.AssertFailed((await strata.RunAsync("inspect", "run-foreign:1")).ExitCode, "no image may be tagged");
    }

    [Fact]
    public async Task Run_for_a_foreign_platform_with_a_binfmt_handler_runs()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("run-foreign-binfmt");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base-foreign:1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\n");

        // The "foreign" base holds this host's busybox (imported as the other platform), so once
        // the check finds an enabled handler for the platform, the RUN itself runs natively.
        var handler = $"enabled\ninterpreter /usr/bin/{Qemu(ForeignArch)}\nflags: F\noffset 0\nmagic 7f454c46\n";
        var result = await BuildWithBinfmtAsync(strata, "handler", [(Qemu(ForeignArch), handler)], "build", "-q", "--platform", "linux/" + ForeignArch, "-t", "run-foreign:2", context);

        result.EnsureSuccess();
        var root = Path.Combine(_base.Root, "run-foreign-binfmt-rootfs");
        await ImageTrees.UnpackStrataAsync(strata, "run-foreign:2", root);
        Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(root, "b.txt")));
    }

    [Fact]
    public async Task Base_of_another_platform_is_refused_naming_both()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("mismatch");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nCOPY a.txt /a.txt\n");

        var result = await strata.RunAsync("build", "--platform", "linux/" + ForeignArch, "-t", "mismatch:1", context);

        StrataExit.AssertFailed(StrataExit.Failure, result.ExitCode, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:1", error, StringComparison.Ordinal);
        Assert.Contains("base:1 is linux/" + HostArch, error, StringComparison.Ordinal);
        Assert.Contains("not linux/" + ForeignArch, error, StringComparison.Ordinal);
    }

    private async Task<(StrataCli Strata, string Context)> StoreWithBothPlatformsAsync(string name)
    {
        var strata = await _base.NewStoreAsync("platform-" + name);
        var foreign = Path.Combine(_base.Root, "foreign-rootfs-" + name);
        (await ProcessRunner.RunAsync("cp", "-a", _base.BaseRootfs, foreign)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(foreign, "etc", "motd"), "foreign\n");
        (await strata.RunAsync("import", "--platform", "linux/" + ForeignArch, foreign, "base-foreign:1")).EnsureSuccess();
        var context = Path.Combine(_base.Root, "platform-context-" + name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        return (strata, context);
    }

    private static async Task<JsonDocument> InspectAsync(StrataCli strata, string tag) =>
        JsonDocument.Parse((await strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout);

    private static string Qemu(string arch) => "qemu-" + (arch == "arm64" ? "aarch64" : "x86_64");

    /// <summary>
    /// Runs strata in a mount namespace of its own where /proc/sys/fs/binfmt_misc is a folder the
    /// test wrote (<c>status</c> enabled, plus <paramref name="handlers"/>): the test, not the
    /// host's QEMU registration, decides whether a handler for the platform exists.
    /// </summary>
    private async Task<ProcessResult> BuildWithBinfmtAsync(StrataCli strata, string name, (string Name, string Content)[] handlers, params string[] args)
    {
        var binfmt = Path.Combine(_base.Root, "binfmt-" + name);
        Directory.CreateDirectory(binfmt);
        await File.WriteAllTextAsync(Path.Combine(binfmt, "status"), "enabled\n");
        foreach (var (file, content) in handlers) await File.WriteAllTextAsync(Path.Combine(binfmt, file), content);
        return await ProcessRunner.RunAsync("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /proc/sys/fs/binfmt_misc && exec \"$@\"",
            binfmt, StrataCli.Binary, "--root", strata.StoreRoot, .. args], new RunOptions { Timeout = TimeSpan.FromMinutes(3) });
    }
}
