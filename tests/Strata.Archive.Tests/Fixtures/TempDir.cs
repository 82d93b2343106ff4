using Strata.Core.Unix;

namespace Strata.Archive.Tests.Fixtures;

/// <summary>A scratch directory removed (without following symlinks) on dispose. Also the
/// place where root-only tests fail loudly when run unprivileged.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        RequireRoot();
        Root = Path.Combine(Path.GetTempPath(), "strata-archive-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A new, empty subdirectory.</summary>
    public string NewDir(string name)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    public static void RequireRoot()
    {
        if (Libc.Geteuid() != 0)
            throw new InvalidOperationException("Strata.Archive tests need root (owners, device nodes, security.capability); CI runs them as root.");
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
