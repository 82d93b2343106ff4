using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// Finds uses of the concrete OCI runtime types (every type Strata.Execution declares with a
/// name starting <c>Runc</c>: <c>RuncExecutor</c>, <c>RuncOptions</c>...) outside the files
/// allowed to name them. Comment lines are skipped: a remark may point at a runtime file.
/// </summary>
internal static partial class RuntimeTypeScan
{
    /// <summary>The runc type names declared in <paramref name="executionDirectory"/>'s sources.</summary>
    public static SortedSet<string> RuncTypes(string executionDirectory)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(executionDirectory, "*.cs", SearchOption.AllDirectories))
            foreach (Match m in Declaration().Matches(File.ReadAllText(file)))
                names.Add(m.Groups[1].Value);
        return names;
    }

    /// <summary>
    /// <c>path:line: Type</c> for each use of <paramref name="types"/> in the C# files under
    /// <paramref name="sourceRoot"/>, except in the files or folders listed in
    /// <paramref name="allowed"/> (paths relative to <paramref name="sourceRoot"/>, '/'-separated).
    /// </summary>
    public static List<string> UsesOutside(string sourceRoot, IReadOnlyCollection<string> types, IReadOnlyList<string> allowed)
    {
        var pattern = new Regex(@"\b(" + string.Join('|', types.Select(Regex.Escape)) + @")\b", RegexOptions.CultureInvariant);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(sourceRoot, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj")) continue;
            if (allowed.Any(a => relative == a || relative.StartsWith(a.TrimEnd('/') + "/", StringComparison.Ordinal))) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('*') || line.StartsWith("/*", StringComparison.Ordinal)) continue;
                foreach (Match m in pattern.Matches(line))
                    found.Add($"{relative}:{i + 1}: {m.Value}");
            }
        }
        return found;
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(Runc\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();
}
