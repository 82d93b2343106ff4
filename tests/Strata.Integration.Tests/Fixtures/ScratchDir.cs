namespace Strata.Integration.Tests.Fixtures;

/// <summary>A per-test directory under /tmp/strata-integration, removed on dispose. The path is
/// short on purpose: dockerd's socket lives in one and unix socket paths are limited to 107 bytes.</summary>
public sealed class ScratchDir : IDisposable
{
    public ScratchDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "strata-integration", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A new, empty subdirectory.</summary>
    public string NewDir(params string[] parts)
    {
        var path = PathOf(parts);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A mount or busy file left by a killed tool: not worth failing a passed test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
