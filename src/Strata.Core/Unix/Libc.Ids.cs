using System.Runtime.InteropServices;

namespace Strata.Core.Unix;

public static partial class Libc
{
    /// <summary>The effective group id (getegid): the group a rootless user namespace maps to root.</summary>
    public static int Getegid() => getegid();

    /// <summary>Creates a FIFO (mkfifo) with <paramref name="mode"/>; a failure is a <see cref="UnixException"/> naming the path.</summary>
    public static void Mkfifo(string path, uint mode) => Mknod(path, FileStatus.Fifo | mode, 0, 0);

    [LibraryImport("libc")]
    private static partial int getegid();
}
