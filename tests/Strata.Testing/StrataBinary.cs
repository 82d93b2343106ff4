using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>
/// Where the strata binary under test is, found one way: <c>$STRATA_BIN</c> (CI points it at the
/// Native AOT build), else the build of src/Strata.Cli in the configuration these tests were
/// built in (Release, as CI and the helpers build), else the other configuration's. Test projects
/// reference src/Strata.Cli, so building them builds it beside them.
/// </summary>
public static class StrataBinary
{
    private static readonly Lazy<string> PathLazy = new(Find);

    /// <summary>The binary's full path; a missing one fails the test naming what to build.</summary>
    public static string Path => PathLazy.Value;

    /// <summary>
    /// Whether the binary is the published Native AOT one (CI's) rather than a JIT build, which is
    /// an apphost with its strata.dll beside it.
    /// </summary>
    public static bool IsNativeAot => !File.Exists(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "strata.dll"));

    /// <summary>Whether <paramref name="fileName"/> is the strata binary (the runner then rejects exit 125).</summary>
    public static bool IsStrata(string fileName)
    {
        try
        {
            return string.Equals(System.IO.Path.GetFullPath(fileName), Path, StringComparison.Ordinal);
        }
        catch (XunitException)
        {
            return false; // no strata is built, so this was another program
        }
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("STRATA_BIN") is { Length: > 0 } fromEnv)
        {
            if (!File.Exists(fromEnv)) throw new XunitException($"STRATA_BIN={fromEnv} does not exist");
            return System.IO.Path.GetFullPath(fromEnv);
        }
        string own = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        string other = own == "Release" ? "Debug" : "Release";
        foreach (var configuration in new[] { own, other })
        {
            var path = System.IO.Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", configuration, "net10.0", "strata");
            if (File.Exists(path)) return path;
        }
        throw new XunitException("the strata binary is not built: run `dotnet build src/Strata.Cli -c Release` (or set STRATA_BIN to a published binary)");
    }
}
