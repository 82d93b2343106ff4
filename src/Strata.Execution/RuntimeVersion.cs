using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Execution;

/// <summary>
/// The first line of <c>runc --version</c> / <c>crun --version</c>, e.g.
/// <c>runc version 1.1.5+ds1</c> or <c>crun version 1.8.1</c>.
/// </summary>
/// <param name="Name">runc or crun (whatever the tool calls itself).</param>
/// <param name="Suffix">What follows major.minor.patch: <c>+ds1</c>, <c>-rc93</c>.</param>
internal sealed partial record RuntimeVersion(string Name, int Major, int Minor, int Patch, string Suffix)
{
    /// <summary>Below 1.0.0 (0.x, or a 1.0.0 release candidate), which Strata refuses.</summary>
    public bool IsBefore1 => Major < 1 || (Major == 1 && Minor == 0 && Patch == 0 && Suffix.StartsWith("-rc", StringComparison.Ordinal));

    public override string ToString() => $"{Major}.{Minor}.{Patch}{Suffix}";

    public static RuntimeVersion? TryParse(string versionOutput)
    {
        ArgumentNullException.ThrowIfNull(versionOutput);
        var m = VersionLine().Match(versionOutput);
        if (!m.Success) return null;
        return new RuntimeVersion(
            m.Groups["name"].Value,
            int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture),
            m.Groups["patch"].Success ? int.Parse(m.Groups["patch"].Value, CultureInfo.InvariantCulture) : 0,
            m.Groups["suffix"].Value);
    }

    [GeneratedRegex(@"^(?<name>\S+) version (?<major>\d+)\.(?<minor>\d+)(?:\.(?<patch>\d+))?(?<suffix>\S*)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
