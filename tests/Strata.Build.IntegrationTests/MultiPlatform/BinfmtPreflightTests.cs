namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// A RUN for a platform this host cannot execute fails before any step starts, in one line naming
/// the Dockerfile line, the platform and how to enable a handler: binfmt_misc without a handler
/// for arm64, or with qemu-user-static's handler registered without the F flag (not usable
/// inside the container). <c>STRATA_BINFMT_MISC</c> points the lookup at such a directory.
/// </summary>
[Collection(MultiPlatformGroup.Name)]
public sealed class BinfmtPreflightTests(MultiPlatformHost host)
{
    [Theory]
    [InlineData("linux/amd64,linux/arm64")]
    [InlineData("linux/arm64")]
    public async Task Without_a_handler_the_build_fails_in_one_line_before_any_step(string platforms)
    {
        var (strata, context) = await StoreAsync("none-" + platforms.Replace('/', '_').Replace(',', '-'));
        var binfmt = Binfmt("binfmt-none-" + platforms.Replace('/', '_').Replace(',', '-'), handler: null);

        var build = await strata.RunAsync(["build", "--progress", "plain", "--platform", platforms, "-t", "nohandler:1", context], new RunOptions { Environment = new Dictionary<string, string?> { ["STRATA_BINFMT_MISC"] = binfmt } });

        Assert.Equal(1, build.ExitCode);
        Assert.Equal($"Error: Dockerfile:2: RUN uname -m > /arch: cannot run linux/arm64 binaries on this linux/amd64 host: no binfmt_misc handler for linux/arm64 (qemu-aarch64) in {binfmt}: "
            + "install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable qemu-aarch64)\n", build.Stderr);
        Assert.Equal(1, (await strata.RunAsync("inspect", "nohandler:1")).ExitCode);
    }

    [Fact]
    public async Task A_handler_without_the_F_flag_is_named_as_not_usable_inside_the_container()
    {
        var (strata, context) = await StoreAsync("no-f");
        var entry = host.HandlerEntry;
        var flags = entry.Split('\n').Single(l => l.StartsWith("flags: ", StringComparison.Ordinal));
        var binfmt = Binfmt("binfmt-no-f", entry.Replace(flags, flags.Replace("F", "", StringComparison.Ordinal), StringComparison.Ordinal));

        var build = await strata.RunAsync(["build", "--progress", "plain", "--platform", "linux/amd64,linux/arm64", "-t", "nof:1", context], new RunOptions { Environment = new Dictionary<string, string?> { ["STRATA_BINFMT_MISC"] = binfmt } });

        Assert.Equal(1, build.ExitCode);
        var line = Assert.Single(build.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: Dockerfile:2: RUN uname -m > /arch: cannot run linux/arm64 binaries on this linux/amd64 host: "
            + "the binfmt_misc handler qemu-aarch64 for linux/arm64 (/usr/libexec/qemu-binfmt/aarch64-binfmt-P) lacks the F flag, so it is not usable inside the container: ", line, StringComparison.Ordinal);
    }

    private async Task<(StrataCli Strata, string Context)> StoreAsync(string name)
    {
        var strata = await host.NewStoreAsync("preflight-" + name);
        var context = host.NewDirectory("context-preflight-" + name);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox:multi\nRUN uname -m > /arch\n");
        return (strata, context);
    }

    /// <summary>A binfmt_misc directory as the kernel lays it out, enabled, with the given qemu-aarch64 entry or none.</summary>
    private string Binfmt(string name, string? handler)
    {
        var dir = host.NewDirectory(name);
        File.WriteAllText(Path.Combine(dir, "status"), "enabled\n");
        File.WriteAllText(Path.Combine(dir, "register"), "");
        if (handler is not null) File.WriteAllText(Path.Combine(dir, MultiPlatformHost.Handler), handler);
        return dir;
    }
}
