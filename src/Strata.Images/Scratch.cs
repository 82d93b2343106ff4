using Strata.Core.Unix;

namespace Strata.Images;

/// <summary>Removes scratch trees, including read-only directories a layer may have created.</summary>
public static class Scratch
{
    /// <summary>A new private directory under <paramref name="parent"/> (on the store's file system, so results can be renamed into place).</summary>
    public static string CreateDirectory(string parent, string prefix)
    {
        Directory.CreateDirectory(parent);
        var path = Path.Combine(parent, $"{prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static void Delete(string path)
    {
        if (!Libc.TryLstat(path, out var status)) return;
        if (!status.IsDirectory)
        {
            File.Delete(path);
            return;
        }
        // Layers may hold directories without write permission (mode 0555): open them up first.
        var pending = new Stack<string>();
        pending.Push(path);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            Libc.Chmod(dir, 0x1C0 /* 0700 */);
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!Libc.Lstat(sub).IsSymlink) pending.Push(sub);
            }
        }
        Directory.Delete(path, recursive: true);
    }
}
