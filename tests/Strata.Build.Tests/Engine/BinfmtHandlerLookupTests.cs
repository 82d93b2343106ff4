using Strata.Build.Engine;
using Strata.Core;

namespace Strata.Build.Tests.Engine;

/// <summary>
/// <see cref="BinfmtMisc.CanExecute(Platform, Platform, string, out string)"/> against
/// binfmt_misc directories laid out as the kernel shows them: an F-flagged qemu-aarch64 handler
/// whatever its name, one without F, a disabled one, none, a disabled file system, none mounted.
/// </summary>
public sealed class BinfmtHandlerLookupTests : IDisposable
{
    private static readonly Platform Amd64 = Platform.Parse("linux/amd64");
    private static readonly Platform Arm64 = Platform.Parse("linux/arm64");
    private readonly TempDir _tempDir = new("strata-binfmt-");

    public BinfmtHandlerLookupTests()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "status"), "enabled\n");
        File.WriteAllText(Path.Combine(_tempDir.Path, "register"), "");
    }

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void F_flagged_handler_matching_the_magic_is_usable_whatever_its_name()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "arm64-emulator"), BinfmtEntryTests.QemuAarch64);

        Assert.True(BinfmtMisc.CanExecute(Arm64, Amd64, _tempDir.Path, out var why));
        Assert.Equal("", why);
    }

    [Fact]
    public void Handler_without_F_is_named_as_not_usable_inside_the_container()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "qemu-aarch64"), BinfmtEntryTests.QemuAarch64.Replace("POF", "OC", StringComparison.Ordinal));

        Assert.False(BinfmtMisc.CanExecute(Arm64, Amd64, _tempDir.Path, out var why));
        Assert.Equal("the binfmt_misc handler qemu-aarch64 for linux/arm64 (/usr/libexec/qemu-binfmt/aarch64-binfmt-P) lacks the F flag, so it is not usable inside the container: "
            + "register it again with flags F (update-binfmts --disable qemu-aarch64 && update-binfmts --enable qemu-aarch64, or the F-flagged line of /usr/lib/binfmt.d/qemu-aarch64.conf)", why);
    }

    [Fact]
    public void Missing_handler_says_how_to_enable_one()
    {
        Assert.False(BinfmtMisc.CanExecute(Arm64, Amd64, _tempDir.Path, out var why));
        Assert.Equal($"no binfmt_misc handler for linux/arm64 (qemu-aarch64) in {_tempDir.Path}: install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable qemu-aarch64)", why);
    }

    [Fact]
    public void Disabled_handler_and_a_handler_for_another_architecture_do_not_count()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "qemu-aarch64"), BinfmtEntryTests.QemuAarch64.Replace("enabled", "disabled", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_tempDir.Path, "qemu-s390x"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/s390x-binfmt-P\nflags: POF\noffset 0\nmagic 7f454c4602020100000000000000000000020016\nmask ffffffffffffff00fffffffffffffffffffeffff\n");

        Assert.False(BinfmtMisc.CanExecute(Arm64, Amd64, _tempDir.Path, out var why));
        Assert.StartsWith("no binfmt_misc handler for linux/arm64", why, StringComparison.Ordinal);
        Assert.True(BinfmtMisc.CanExecute(Platform.Parse("linux/s390x"), Amd64, _tempDir.Path, out _));
    }

    [Fact]
    public void Disabled_binfmt_misc_and_an_unmounted_one_are_named()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "qemu-aarch64"), BinfmtEntryTests.QemuAarch64);
        File.WriteAllText(Path.Combine(_tempDir.Path, "status"), "disabled\n");
        Assert.False(BinfmtMisc.CanExecute(Arm64, Amd64, _tempDir.Path, out var disabled));
        Assert.Equal($"binfmt_misc is disabled ({_tempDir.Path}/status): echo 1 > {_tempDir.Path}/status", disabled);

        var unmounted = Path.Combine(_tempDir.Path, "nothing-here");
        Assert.False(BinfmtMisc.CanExecute(Arm64, Amd64, unmounted, out var why));
        Assert.Equal($"binfmt_misc is not mounted at {unmounted} (mount -t binfmt_misc binfmt_misc {unmounted}), so there is no linux/arm64 handler: "
            + "install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable qemu-aarch64)", why);
    }

    [Fact]
    public void Native_platforms_never_look_at_the_directory()
    {
        var unmounted = Path.Combine(_tempDir.Path, "nothing-here");
        Assert.True(BinfmtMisc.CanExecute(Amd64, Amd64, unmounted, out _));
        Assert.True(BinfmtMisc.CanExecute(Platform.Parse("linux/386"), Amd64, unmounted, out _));
        Assert.True(BinfmtMisc.CanExecute(Platform.Parse("linux/arm/v7"), Arm64, unmounted, out _));
    }
}
