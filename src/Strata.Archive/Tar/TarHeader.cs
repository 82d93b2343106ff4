namespace Strata.Archive.Tar;

/// <summary>One tar entry's metadata after PAX and GNU long-name records are merged in.</summary>
internal sealed record TarHeader
{
    public required string Name { get; init; }
    public required byte TypeFlag { get; init; }
    public int Mode { get; init; }
    public int Uid { get; init; }
    public int Gid { get; init; }
    public long Size { get; init; }
    public long MtimeSeconds { get; init; }
    public string LinkName { get; init; } = "";
    public long DeviceMajor { get; init; }
    public long DeviceMinor { get; init; }
    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs { get; init; } = [];
}
