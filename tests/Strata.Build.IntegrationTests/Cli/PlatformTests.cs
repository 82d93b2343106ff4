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

        var result = await strata.RunAsync("build", "--progress", "plain", "--platform", "linux/" + ForeignArch, "-t", "run-foreign:1", context);

        if (BinfmtHandlerEnabled(ForeignArch))
        {
            // This host can run the foreign binaries (qemu-user registered): the build must work.
            result.EnsureSuccess();
            return;
        }
        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:3", error, StringComparison.Ordinal);
        Assert.Contains("linux/" + ForeignArch, error, StringComparison.Ordinal);
        Assert.Contains("binfmt_misc", error, StringComparison.Ordinal);
        Assert.DoesNotContain("runc", result.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await strata.RunAsync("inspect", "run-foreign:1")).ExitCode);
    }

    [Fact]
    public async Task Base_of_another_platform_is_refused_naming_both()
    {
        var (strata, context) = await StoreWithBothPlatformsAsync("mismatch");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nCOPY a.txt /a.txt\n");

        var result = await strata.RunAsync("build", "--platform", "linux/" + ForeignArch, "-t", "mismatch:1", context);

        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:1", error, StringComparison.Ordinal);
        Assert.Contains("base:1 is linux/" + HostArch, error, StringComparison.Ordinal);
        Assert.Contains("not linux/" + ForeignArch, error, StringComparison.Ordinal);
    }

    private async Task<(StrataCli Strata, string Context)> StoreWithBothPlatformsAsync(string name)
    {
        var strata = await _base.NewStoreAsync("platform-" + name);
        var foreign = Path.Combine(_base.Root, "foreign-rootfs-" + name);
        (await CliRunner.RunAsync("cp", "-a", _base.BaseRootfs, foreign)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(foreign, "etc", "motd"), "foreign\n");
        (await strata.RunAsync("import", "--platform", "linux/" + ForeignArch, foreign, "base-foreign:1")).EnsureSuccess();
        var context = Path.Combine(_base.Root, "platform-context-" + name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        return (strata, context);
    }

    private static async Task<JsonDocument> InspectAsync(StrataCli strata, string tag) =>
        JsonDocument.Parse((await strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout);

    private static bool BinfmtHandlerEnabled(string arch)
    {
        const string root = "/proc/sys/fs/binfmt_misc";
        if (!File.Exists(Path.Combine(root, "status")) || File.ReadAllText(Path.Combine(root, "status")).Trim() != "enabled") return false;
        var qemu = "qemu-" + (arch == "arm64" ? "aarch64" : "x86_64");
        return Directory.EnumerateFiles(root).Any(f => Path.GetFileName(f).Contains(qemu, StringComparison.Ordinal) && File.ReadAllText(f).StartsWith("enabled", StringComparison.Ordinal));
    }
}
