namespace Strata.Archive.Tar;

/// <summary>The typeflag bytes of POSIX ustar, PAX and the GNU extensions Strata reads.</summary>
internal static class TarTypeFlag
{
    public const byte Regular = (byte)'0';
    public const byte RegularOld = 0;
    public const byte Hardlink = (byte)'1';
    public const byte Symlink = (byte)'2';
    public const byte CharDevice = (byte)'3';
    public const byte BlockDevice = (byte)'4';
    public const byte Directory = (byte)'5';
    public const byte Fifo = (byte)'6';
    public const byte Contiguous = (byte)'7';
    public const byte PaxExtended = (byte)'x';
    public const byte PaxGlobal = (byte)'g';
    public const byte GnuLongName = (byte)'L';
    public const byte GnuLongLink = (byte)'K';
}
