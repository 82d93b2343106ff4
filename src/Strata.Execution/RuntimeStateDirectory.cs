namespace Strata.Execution;

/// <summary>
/// The runtime's state directory as a listing: one subdirectory per container it knows. Read
/// from the directory alone (no runtime process started), so every command can afford it.
/// </summary>
public static class RuntimeStateDirectory
{
    /// <summary>The container ids under <paramref name="stateDirectory"/>; none when it does not exist.</summary>
    public static IReadOnlyList<string> Ids(string stateDirectory) =>
        Directory.Exists(stateDirectory) ? [.. Directory.EnumerateDirectories(stateDirectory).Select(Path.GetFileName).OfType<string>()] : [];
}
