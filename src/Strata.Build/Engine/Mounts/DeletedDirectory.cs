namespace Strata.Build.Engine.Mounts;

/// <summary>A scratch directory (a rw bind's copy) removed with its content when disposed.</summary>
internal sealed class DeletedDirectory : IDisposable
{
    public DeletedDirectory(string path) => Path = path;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory: harmless, and it must not fail a finished step.
        }
    }
}
