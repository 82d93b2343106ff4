namespace Strata.Core.Unix;

/// <summary>What lstat tells about a path: type and permission bits, owner, size, times, identity.</summary>
public readonly record struct FileStatus(
    uint Mode,
    int Uid,
    int Gid,
    long Size,
    long Inode,
    long DeviceMajor,
    long DeviceMinor,
    long RdevMajor,
    long RdevMinor,
    int LinkCount,
    long MtimeSeconds,
    int MtimeNanoseconds,
    long CtimeSeconds,
    int CtimeNanoseconds,
    long Blocks)
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint BlockDevice = 0x6000;
    public const uint Directory = 0x4000;
    public const uint CharDevice = 0x2000;
    public const uint Fifo = 0x1000;

    /// <summary>The S_IF* type bits.</summary>
    public uint Type => Mode & TypeMask;

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Directory;

    public bool IsRegular => Type == Regular;

    public bool IsSymlink => Type == Symlink;

    /// <summary>Bytes actually allocated on disk (st_blocks is in 512-byte units).</summary>
    public long AllocatedBytes => Blocks * 512;

    internal static FileStatus From(in StatxBuffer s) => new(
        s.Mode, (int)s.Uid, (int)s.Gid, (long)s.Size, (long)s.Ino, s.DevMajor, s.DevMinor, s.RdevMajor, s.RdevMinor,
        (int)s.Nlink, s.MtimeSec, (int)s.MtimeNsec, s.CtimeSec, (int)s.CtimeNsec, (long)s.Blocks);
}
