using System.Globalization;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>Docker CLI's human sizes (go-units HumanSizeWithPrecision(size, 3): powers of 1000,
/// three significant digits; <see cref="HumanSize"/> four), to state expected columns from byte counts.</summary>
public static class DockerUnits
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB"];

    public static string Size(long bytes) => Format(bytes, "G3");

    /// <summary>go-units HumanSize (four significant digits): docker's <c>system df</c> sizes.</summary>
    public static string HumanSize(long bytes) => Format(bytes, "G4");

    private static string Format(long bytes, string precision)
    {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < Units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        return size.ToString(precision, CultureInfo.InvariantCulture) + Units[unit];
    }
}
