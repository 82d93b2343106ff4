using Strata.Build.Engine;
using Strata.Core;

namespace Strata.Build.Tests.Engine;

/// <summary>Which platforms a host runs without emulation, and the reason given when it cannot run one.</summary>
public sealed class BinfmtMiscTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/386", "linux/amd64")]
    [InlineData("linux/arm/v7", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    public void Native_platforms_need_no_handler(string target, string host) =>
        Assert.True(BinfmtMisc.CanExecute(Platform.Parse(target), Platform.Parse(host), out _));

    [Fact]
    public void Another_os_is_never_runnable()
    {
        Assert.False(BinfmtMisc.CanExecute(Platform.Parse("windows/amd64"), Platform.Parse("linux/amd64"), out var why));
        Assert.Contains("windows", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_architecture_needs_an_enabled_qemu_handler()
    {
        bool can = BinfmtMisc.CanExecute(Platform.Parse("linux/s390x"), Platform.Parse("linux/amd64"), out var why);
        bool registered = File.Exists(Path.Combine(BinfmtMisc.Root, "qemu-s390x")) && File.ReadAllText(Path.Combine(BinfmtMisc.Root, "qemu-s390x")).StartsWith("enabled", StringComparison.Ordinal);
        Assert.Equal(registered, can);
        if (!can) Assert.Contains("s390x", why, StringComparison.Ordinal);
    }
}
