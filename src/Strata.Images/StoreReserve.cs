namespace Strata.Images;

/// <summary>
/// A small file of really allocated blocks (<c>&lt;root&gt;/space-reserve</c>) kept so the store
/// can still be repaired when its disk fills up. SQLite in WAL mode needs a few pages of free
/// space even to read (the <c>-shm</c> index) and to delete rows (the <c>-wal</c> frames), so on a
/// full disk every command failed, <c>system check</c> and <c>prune</c> included. The commands
/// that free space may <see cref="Release"/> the reserve and retry; every open re-creates it once
/// there is room again (the WAL files go away when the last connection closes).
/// </summary>
public sealed class StoreReserve
{
    /// <summary>Room for the WAL index and the frames of a prune's deletes.</summary>
    public const long DefaultBytes = 2 << 20;

    private readonly long _bytes;

    public StoreReserve(string root, long bytes = DefaultBytes)
    {
        Path = System.IO.Path.Combine(root, "space-reserve");
        _bytes = bytes;
    }

    public string Path { get; }

    /// <summary>Creates the reserve if it is missing or short; on a full disk it stays missing (never an error).</summary>
    public void Ensure()
    {
        try
        {
            if (File.Exists(Path) && new FileInfo(Path).Length >= _bytes) return;
            // PreallocationSize asks for the blocks (fallocate), unlike SetLength, which leaves a sparse file.
            // It keeps the file's length at 0, so the length is set after (over allocated blocks) for the check above.
            using var file = new FileStream(Path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, PreallocationSize = _bytes });
            file.SetLength(_bytes);
        }
        catch (IOException)
        {
            // Best effort by design: on a full disk .NET reports the failed fallocate as a plain
            // IOException ("because the disk was full") without ENOSPC in it, and a store that
            // cannot keep a reserve must still open, so check and prune can free space.
            TryDelete();
        }
        catch (UnauthorizedAccessException)
        {
            // A read-only store or one of another user: nothing to keep in reserve.
        }
    }

    /// <summary>Frees the reserve; true when there was one to free.</summary>
    public bool Release() => TryDelete();

    private bool TryDelete()
    {
        try
        {
            if (!File.Exists(Path)) return false;
            File.Delete(Path);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
