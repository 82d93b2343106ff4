namespace Strata.Testing;

/// <summary>Where the repository and the shared conformance data are, found from the test binary.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding Strata.slnx).</summary>
    public static string Root => RootLazy.Value;

    /// <summary><c>../shared</c> beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary><c>../shared/conformance</c>; a missing folder fails loudly.</summary>
    public static string Conformance
    {
        get
        {
            var dir = Path.Combine(Shared, "conformance");
            if (!Directory.Exists(dir))
                throw new DirectoryNotFoundException($"conformance data not found at {dir}: the tests need ../shared beside the repository");
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Strata.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("cannot find Strata.slnx above " + AppContext.BaseDirectory);
    }
}
