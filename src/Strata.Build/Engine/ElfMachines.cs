namespace Strata.Build.Engine;

/// <summary>
/// What an executable of an OCI architecture starts with, for matching binfmt_misc magic: the
/// first 20 bytes of its ELF header (ELF class, byte order, version, an executable e_type and
/// the e_machine number of the ELF spec's machine table), and the name qemu-user gives it.
/// </summary>
internal static class ElfMachines
{
    private const byte Class32 = 1, Class64 = 2, Little = 1, Big = 2;

    /// <summary>The header of an executable of <paramref name="architecture"/>, or null for one this table does not know.</summary>
    public static byte[]? Header(string architecture) => architecture switch
    {
        "amd64" => Make(Class64, Little, 62),
        "arm64" => Make(Class64, Little, 183),
        "386" => Make(Class32, Little, 3),
        "arm" => Make(Class32, Little, 40),
        "ppc64le" => Make(Class64, Little, 21),
        "ppc64" => Make(Class64, Big, 21),
        "s390x" => Make(Class64, Big, 22),
        "riscv64" => Make(Class64, Little, 243),
        "mips64le" => Make(Class64, Little, 8),
        "mips64" => Make(Class64, Big, 8),
        "loong64" => Make(Class64, Little, 258),
        _ => null,
    };

    /// <summary>qemu-user's name for the architecture (the handler <c>qemu-NAME</c> and <c>/usr/lib/binfmt.d/qemu-NAME.conf</c>).</summary>
    public static string QemuName(string architecture) => "qemu-" + architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "386" => "i386",
        "mips64le" => "mips64el",
        "loong64" => "loongarch64",
        _ => architecture,
    };

    private static byte[] Make(byte elfClass, byte order, ushort machine)
    {
        var header = new byte[20];
        header[0] = 0x7f;
        header[1] = (byte)'E';
        header[2] = (byte)'L';
        header[3] = (byte)'F';
        header[4] = elfClass;
        header[5] = order;
        header[6] = 1; // EV_CURRENT
        // e_type ET_EXEC (2) and e_machine, in the file's byte order.
        const byte executable = 2;
        if (order == Little)
        {
            header[16] = executable;
            header[18] = (byte)machine;
            header[19] = (byte)(machine >> 8);
        }
        else
        {
            header[17] = executable;
            header[18] = (byte)(machine >> 8);
            header[19] = (byte)machine;
        }
        return header;
    }
}
