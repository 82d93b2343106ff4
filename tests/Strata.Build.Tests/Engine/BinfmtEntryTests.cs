using Strata.Build.Engine;

namespace Strata.Build.Tests.Engine;

/// <summary>
/// binfmt_misc entries as the kernel shows them, matched against the ELF header of each
/// architecture: qemu-user-static's own aarch64 and x86_64 entries (Debian 12, 7.2), an
/// extension entry, and the header table itself.
/// </summary>
public sealed class BinfmtEntryTests
{
    // /proc/sys/fs/binfmt_misc/qemu-aarch64 after registering /usr/lib/binfmt.d/qemu-aarch64.conf.
    internal const string QemuAarch64 = """
        enabled
        interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
        flags: POF
        offset 0
        magic 7f454c460201010000000000000000000200b700
        mask ffffffffffffff00fffffffffffffffffeffffff

        """;

    private const string QemuX8664 = """
        enabled
        interpreter /usr/libexec/qemu-binfmt/x86_64-binfmt-P
        flags: POF
        offset 0
        magic 7f454c4602010100000000000000000002003e00
        mask fffffffffffefe00fffffffffffffffffeffffff

        """;

    [Fact]
    public void Qemu_aarch64_entry_parses_with_its_flags_and_matches_only_arm64()
    {
        var entry = BinfmtEntry.Parse("qemu-aarch64", QemuAarch64)!;

        Assert.True(entry.Enabled);
        Assert.True(entry.FixBinary);
        Assert.Equal("/usr/libexec/qemu-binfmt/aarch64-binfmt-P", entry.Interpreter);
        Assert.Equal("POF", entry.Flags);
        Assert.Equal(0, entry.Offset);
        Assert.Equal(20, entry.Magic.Length);
        Assert.True(entry.Matches(ElfMachines.Header("arm64")));
        foreach (var arch in new[] { "amd64", "386", "arm", "s390x", "ppc64le", "riscv64" })
            Assert.False(entry.Matches(ElfMachines.Header(arch)), arch);
    }

    [Fact]
    public void Qemu_x86_64_entry_matches_amd64_only()
    {
        var entry = BinfmtEntry.Parse("qemu-x86_64", QemuX8664)!;

        Assert.True(entry.Matches(ElfMachines.Header("amd64")));
        Assert.False(entry.Matches(ElfMachines.Header("arm64")));
        Assert.False(entry.Matches(ElfMachines.Header("386")));
    }

    [Fact]
    public void Disabled_entry_without_F_is_read_as_such()
    {
        var entry = BinfmtEntry.Parse("qemu-aarch64", QemuAarch64.Replace("enabled", "disabled", StringComparison.Ordinal).Replace("POF", "P", StringComparison.Ordinal))!;

        Assert.False(entry.Enabled);
        Assert.False(entry.FixBinary);
        Assert.True(entry.Matches(ElfMachines.Header("arm64")));
    }

    [Fact]
    public void Extension_entry_is_no_magic_handler()
    {
        Assert.Null(BinfmtEntry.Parse("python3.11", "enabled\ninterpreter /usr/bin/python3.11\nflags: \nextension .pyc\n"));
    }

    [Fact]
    public void Magic_at_an_offset_is_compared_there()
    {
        var entry = BinfmtEntry.Parse("at18", "enabled\ninterpreter /x\nflags: F\noffset 18\nmagic b700\n")!;

        Assert.Equal(18, entry.Offset);
        Assert.Equal([0xff, 0xff], entry.Mask);
        Assert.True(entry.Matches(ElfMachines.Header("arm64")));
        Assert.False(entry.Matches(ElfMachines.Header("amd64")));
    }

    [Theory]
    [InlineData("amd64", 2, 1, 0x3e, 0x00)]
    [InlineData("arm64", 2, 1, 0xb7, 0x00)]
    [InlineData("386", 1, 1, 0x03, 0x00)]
    [InlineData("arm", 1, 1, 0x28, 0x00)]
    [InlineData("s390x", 2, 2, 0x00, 0x16)]
    [InlineData("riscv64", 2, 1, 0xf3, 0x00)]
    [InlineData("loong64", 2, 1, 0x02, 0x01)]
    public void Elf_headers_carry_class_byte_order_and_machine(string arch, int elfClass, int order, int machine18, int machine19)
    {
        var header = ElfMachines.Header(arch)!;

        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], header[..4]);
        Assert.Equal(elfClass, header[4]);
        Assert.Equal(order, header[5]);
        Assert.Equal(machine18, header[18]);
        Assert.Equal(machine19, header[19]);
    }

    [Theory]
    [InlineData("amd64", "qemu-x86_64")]
    [InlineData("arm64", "qemu-aarch64")]
    [InlineData("386", "qemu-i386")]
    [InlineData("arm", "qemu-arm")]
    [InlineData("mips64le", "qemu-mips64el")]
    [InlineData("s390x", "qemu-s390x")]
    public void Qemu_names_follow_qemu_user(string arch, string name) => Assert.Equal(name, ElfMachines.QemuName(arch));

    [Fact]
    public void Unknown_architecture_has_no_header() => Assert.Null(ElfMachines.Header("wasm"));
}
