using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Dockerfile.Instructions;

/// <summary>Validates <c>--chmod</c>: octal up to 7777, or symbolic clauses like <c>u+x,go=rX</c>.</summary>
internal static partial class Chmod
{
    [GeneratedRegex(@"^[ugoa]*([-+=]([rwxXst]*|[ugo]))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Clause();

    public static void Validate(string value)
    {
        // A variable reference is checked after expansion.
        if (value.Contains('$', StringComparison.Ordinal)) return;
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            if (value.Any(c => c > '7') || !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) || Convert.ToUInt32(value, 8) > 0xFFF)
                throw new DockerfileException($"invalid chmod parameter \"{value}\": octal modes are at most 7777");
            return;
        }
        foreach (var clause in value.Split(','))
        {
            if (!Clause().IsMatch(clause))
                throw new DockerfileException($"invalid chmod parameter \"{value}\": use an octal mode (0755) or symbolic clauses (u+x,go-w)");
        }
    }
}
