namespace Strata.Snapshots.Mounting;

/// <summary>
/// Keeps overlay's option string under mount(2)'s limit: the kernel copies one page of data
/// (4096 bytes here), and 128 layers of absolute paths under a long root need far more.
/// <para>
/// As containerd's mount helper does, when the string is too long the lower directories are
/// written relative to their longest common parent directory, and the mount is done from a
/// thread whose working directory is that parent. containerd forks a helper process for the
/// chdir; here a dedicated thread calls unshare(CLONE_FS) first, which gives that thread alone
/// its own working directory, so the rest of the process never sees the chdir. Snapshot
/// directories are numbered, so a lower is "123/fs" and 500 layers (overlay's maximum) fit.
/// </para>
/// </summary>
internal static class OverlayOptions
{
    /// <summary>Joins data options as the kernel wants them.</summary>
    public static string Join(IEnumerable<string> data) => string.Join(',', data);

    /// <summary>
    /// Returns the data string and the directory to mount from (null when absolute paths fit).
    /// </summary>
    public static (string Data, string? WorkingDirectory) Fit(List<string> data, int limit)
    {
        string joined = Join(data);
        if (joined.Length < limit) return (joined, null);
        int index = data.FindIndex(o => o.StartsWith("lowerdir=", StringComparison.Ordinal));
        if (index < 0) return (joined, null);
        string[] lowers = data[index]["lowerdir=".Length..].Split(':');
        string common = CommonDirectory(lowers);
        if (common.Length <= 1) return (joined, null);
        var relative = lowers.Select(l => l[(common.Length + 1)..]);
        var compact = new List<string>(data) { [index] = "lowerdir=" + string.Join(':', relative) };
        return (Join(compact), common);
    }

    /// <summary>The longest directory that is a proper parent of every path ("/a/b" for "/a/b/1/fs" and "/a/b/2/fs").</summary>
    internal static string CommonDirectory(IReadOnlyList<string> paths)
    {
        string common = Path.GetDirectoryName(paths[0]) ?? "/";
        foreach (string path in paths.Skip(1))
        {
            while (common.Length > 1 && !path.StartsWith(common + "/", StringComparison.Ordinal))
                common = Path.GetDirectoryName(common) ?? "/";
        }
        return common;
    }
}
