namespace Strata.Registry.Tests.Fixtures;

/// <summary>A per-test directory removed on dispose.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Root = Path.Combine(Path.GetTempPath(), "strata-registry-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A busy file left by a killed tool: not worth failing a passed test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
