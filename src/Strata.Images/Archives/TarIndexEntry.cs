namespace Strata.Images.Archives;

/// <summary>One member of an indexed tar archive: where its data starts and how long it is.</summary>
internal sealed record TarIndexEntry(string Name, char Type, long DataOffset, long Size, string LinkName)
{
    public bool IsRegular => Type is '0' or '\0' or '7';

    public bool IsSymlink => Type == '2';

    public bool IsHardlink => Type == '1';

    public bool IsDirectory => Type == '5';
}
