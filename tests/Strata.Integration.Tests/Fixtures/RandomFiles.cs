namespace Strata.Integration.Tests.Fixtures;

/// <summary>Incompressible files of a given size (seeded, so a failure reproduces), to make
/// layers that take long enough to ingest for a kill or a race to land in the middle.</summary>
public static class RandomFiles
{
    public static string Write(string path, long megabytes, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        for (long i = 0; i < megabytes; i++)
        {
            random.NextBytes(buffer);
            file.Write(buffer);
        }
        return path;
    }
}
