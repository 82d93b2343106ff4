using System.Globalization;
using Strata.Core;

namespace Strata.Build.FileOps;

/// <summary>
/// <c>--chmod</c> values: an octal mode replaces the permission bits; symbolic clauses
/// (<c>u+x,go=rX</c>) change them as chmod(1) does, with <c>X</c> meaning execute for
/// directories and for files already executable by someone.
/// </summary>
public static class ModeSpec
{
    public static uint Apply(string spec, uint mode, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length > 0 && spec.All(char.IsAsciiDigit))
            return Convert.ToUInt32(spec, 8) & 0xFFF;
        uint result = mode & 0xFFF;
        foreach (var clause in spec.Split(','))
        {
            int i = 0;
            uint who = 0;
            while (i < clause.Length && clause[i] is 'u' or 'g' or 'o' or 'a')
            {
                who |= clause[i] switch { 'u' => 0x9C0u, 'g' => 0x438u, 'o' => 0x207u, _ => 0xFFFu };
                i++;
            }
            if (who == 0) who = 0xFFF;
            while (i < clause.Length)
            {
                char op = clause[i++];
                if (op is not ('+' or '-' or '=')) throw new InvalidArgumentException($"invalid chmod parameter \"{spec}\"");
                uint bits = 0;
                while (i < clause.Length && clause[i] is not ('+' or '-' or '='))
                {
                    bits |= clause[i] switch
                    {
                        'r' => 0x124u,
                        'w' => 0x92u,
                        'x' => 0x49u,
                        'X' => isDirectory || (mode & 0x49) != 0 ? 0x49u : 0,
                        's' => 0xC00u,
                        't' => 0x200u,
                        'u' => Spread((result >> 6) & 7),
                        'g' => Spread((result >> 3) & 7),
                        'o' => Spread(result & 7),
                        _ => throw new InvalidArgumentException($"invalid chmod parameter \"{spec}\""),
                    };
                    i++;
                }
                bits &= who;
                result = op switch { '+' => result | bits, '-' => result & ~bits, _ => (result & ~who) | bits };
            }
        }
        return result;
    }

    private static uint Spread(uint rwx) => (rwx << 6) | (rwx << 3) | rwx;

    public static string Octal(uint mode) => Convert.ToString(mode, 8).PadLeft(4, '0').ToString(CultureInfo.InvariantCulture);
}
