namespace Strata.Testing;

/// <summary>
/// A fresh directory under the system temp folder (a short path: dockerd's socket may live in
/// one and unix socket paths are limited to 107 bytes), deleted with everything in it on dispose,
/// read-only directories included. A mount still under it is refused loudly: deleting through a
/// live mount would delete what it shows (a snapshot, a host directory), so the test that left
/// it fails, naming the mount point.
/// </summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "strata-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A new, empty subdirectory (and its parents).</summary>
    public string NewDir(params string[] parts) => Directory.CreateDirectory(PathOf(parts)).FullName;

    public void Dispose()
    {
        if (!Directory.Exists(Path)) return;
        var mounts = MountPointsUnder(Path);
        if (mounts.Count > 0)
            throw new InvalidOperationException($"{Path} still has mounts inside ({string.Join(", ", mounts)}): the test must unmount them before its directory is deleted");
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Unprivileged, a directory without write or search permission blocks the delete:
            // give every directory back u+rwx (never following symlinks) and delete again.
            MakeWritable(new DirectoryInfo(Path));
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>Mount points at or under <paramref name="root"/>, as this process's mount namespace sees them.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            .ToList();
    }

    // mountinfo escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static void MakeWritable(DirectoryInfo dir)
    {
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if ((dir.UnixFileMode & owner) != owner) dir.UnixFileMode |= owner;
        foreach (var child in dir.EnumerateDirectories())
        {
            if (child.LinkTarget is null) MakeWritable(child);
        }
    }
}
