namespace Strata.Cli.Tests.Platforms;

/// <summary><c>strata import --platform os/arch[/variant]</c> records the platform in the image config.</summary>
public sealed class ImportPlatformTests : IDisposable
{
    private readonly PlatformStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Import_platform_records_os_architecture_and_variant_in_the_config()
    {
        await _store.ImportAsync("linux/arm/v7", "bb:armv7");
        await _store.ImportAsync("linux/aarch64", "bb:arm64");

        Assert.Equal("linux arm v7\n", await _store.OkAsync("inspect", "--format", "{{.Os}} {{.Architecture}} {{.Variant}}", "bb:armv7"));
        // aarch64 is the kernel's word for arm64, as containerd normalises it.
        Assert.Equal("linux arm64 \n", await _store.OkAsync("inspect", "--format", "{{.Os}} {{.Architecture}} {{.Variant}}", "bb:arm64"));
    }

    [Fact]
    public async Task Import_without_platform_records_the_host_platform()
    {
        await _store.OkAsync("import", _store.Rootfs, "bb:host");
        // CI runs on amd64 hosts.
        Assert.Equal("linux amd64\n", await _store.OkAsync("inspect", "--format", "{{.Os}} {{.Architecture}}", "bb:host"));
    }

    [Theory]
    [InlineData("linux", "Error: invalid platform \"linux\": want os/arch[/variant]")]
    [InlineData("linux/arm/v7/extra", "Error: invalid platform \"linux/arm/v7/extra\": want os/arch[/variant]")]
    [InlineData("linux/arm 64", "Error: invalid platform \"linux/arm 64\": \"arm 64\" is not an os, architecture or variant (letters, digits, '_', '.' and '-' only)")]
    public async Task Import_with_an_invalid_platform_fails_in_one_line_naming_it_and_stores_nothing(string platform, string error)
    {
        var r = await _store.RunAsync("import", "--platform", platform, _store.Rootfs, "bb:bad");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal(error + "\n", r.Stderr);
        Assert.Equal("", await _store.OkAsync("images", "-q"));
    }
}
