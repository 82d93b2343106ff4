using System.Globalization;

namespace Strata.Build.Engine;

/// <summary>
/// One registered binfmt_misc handler as the kernel shows it in
/// <c>/proc/sys/fs/binfmt_misc/NAME</c>: <c>enabled</c>, <c>interpreter PATH</c>,
/// <c>flags: POF</c>, then <c>offset N</c>, <c>magic HEX</c> and <c>mask HEX</c> for a magic
/// handler (an extension handler has <c>extension .EXT</c> and matches no ELF file).
/// </summary>
internal sealed record BinfmtEntry(string Name, bool Enabled, string Interpreter, string Flags, int Offset, byte[] Magic, byte[] Mask)
{
    /// <summary>The <c>F</c> flag: the interpreter was opened at registration, so it works in any mount namespace.</summary>
    public bool FixBinary => Flags.Contains('F', StringComparison.Ordinal);

    /// <summary>Parses an entry; null for an extension handler or text in another shape.</summary>
    public static BinfmtEntry? Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool enabled = false;
        string interpreter = "", flags = "";
        int offset = 0;
        byte[]? magic = null, mask = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line == "enabled") enabled = true;
            else if (line.StartsWith("interpreter ", StringComparison.Ordinal)) interpreter = line[12..];
            else if (line.StartsWith("flags:", StringComparison.Ordinal)) flags = line[6..].Trim();
            else if (line.StartsWith("offset ", StringComparison.Ordinal) && int.TryParse(line[7..], NumberStyles.None, CultureInfo.InvariantCulture, out var o)) offset = o;
            else if (line.StartsWith("magic ", StringComparison.Ordinal)) magic = Hex(line[6..]);
            else if (line.StartsWith("mask ", StringComparison.Ordinal)) mask = Hex(line[5..]);
        }
        if (magic is null) return null;
        // No mask line: every bit of the magic counts.
        mask ??= Enumerable.Repeat((byte)0xff, magic.Length).ToArray();
        if (mask.Length != magic.Length) return null;
        return new BinfmtEntry(name, enabled, interpreter, flags, offset, magic, mask);
    }

    /// <summary>Whether a file starting with <paramref name="header"/> would be handed to this handler (the kernel's masked compare).</summary>
    public bool Matches(ReadOnlySpan<byte> header)
    {
        if (Offset + Magic.Length > header.Length) return false;
        for (int i = 0; i < Magic.Length; i++)
            if ((header[Offset + i] & Mask[i]) != (Magic[i] & Mask[i])) return false;
        return true;
    }

    private static byte[]? Hex(string text)
    {
        try
        {
            return Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
