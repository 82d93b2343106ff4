using Strata.Core.Unix;
using Strata.Build.Secrets;
using Strata.Images;

namespace Strata.Build.Engine.Mounts;

/// <summary>
/// A 0700 directory for one step's secret files, agent sockets and (with an env= secret) runtime bundle, on /dev/shm (a tmpfs) when
/// the host has it so secret bytes never touch a disk, and never inside the store or a root
/// filesystem. Deleted with everything in it when disposed.
/// </summary>
internal sealed class PrivateTempDirectory : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private PrivateTempDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// A new directory named for this process and store (<see cref="SecretDirectories"/>), so
    /// when a SIGKILL stops the build before it deletes the directory, <c>system prune</c> can tell it is left over.
    /// </summary>
    public static PrivateTempDirectory Create(StoreLayout layout)
    {
        var path = System.IO.Path.Combine(SecretDirectories.Parent, SecretDirectories.NewName(layout));
        Directory.CreateDirectory(path, OwnerOnly);
        return new PrivateTempDirectory(path);
    }

    /// <summary>Writes <paramref name="bytes"/> to a new file readable only by its owner, then gives it the mount's mode and owner.</summary>
    public async Task<string> WriteFileAsync(string name, byte[] bytes, int mode, int uid, int gid, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(Path, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        Libc.Lchown(path, uid, gid);
        Libc.Chmod(path, (uint)mode);
        return path;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A busy file on a tmpfs goes away at reboot at the latest; the step's result stands.
        }
    }
}
