using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xunit.Sdk;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// A tree as GNU find, getfattr and stat see it, hashed here: the differential's view of a root
/// filesystem, sharing no code with src/ (a bug in Strata's own walker or applier must not be
/// able to hide itself by seeing both sides alike).
/// </summary>
internal static class ReferenceTree
{
    /// <summary>One path of a tree; <paramref name="HardlinkGroup"/> is the smallest path sharing its inode.</summary>
    internal sealed record Entry(string Path, string Type, string Mode, int Uid, int Gid, long Size, string? Sha256,
        string? LinkTarget, string? HardlinkGroup, string Xattrs, string? Device, decimal Mtime);

    /// <summary>find's %y letters, named as the differential's messages (and known-differences files) name them.</summary>
    private static string TypeName(char y) => y switch
    {
        'd' => "Directory",
        'f' => "File",
        'l' => "Symlink",
        'c' => "CharDevice",
        'b' => "BlockDevice",
        'p' => "Fifo",
        's' => "Socket",
        _ => "Other",
    };

    public static async Task<IReadOnlyDictionary<string, Entry>> CaptureAsync(string root)
    {
        if (!Directory.Exists(root)) throw new XunitException($"tree {root} does not exist");
        // NUL-separated fields, NUL-terminated records: names may hold anything but NUL and '/'.
        var find = (await ProcessRunner.RunAsync("find", [root, "-mindepth", "1", "-printf", "%P\\0%y\\0%m\\0%U\\0%G\\0%s\\0%l\\0%D:%i\\0%n\\0%T@\\0"])).EnsureSuccess();
        var fields = find.Stdout.Split('\0');
        const int PerEntry = 10;
        var raw = new List<string[]>();
        for (int i = 0; i + PerEntry <= fields.Length; i += PerEntry) raw.Add(fields[i..(i + PerEntry)]);
        var xattrs = await XattrsAsync(root);
        var groups = raw.Where(f => f[1] != "d" && int.Parse(f[8], CultureInfo.InvariantCulture) > 1)
            .GroupBy(f => f[7])
            .ToDictionary(g => g.Key, g => g.Select(f => f[0]).Min(StringComparer.Ordinal)!);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var f in raw)
        {
            string path = f[0];
            char type = f[1][0];
            string full = Path.Combine(root, path);
            entries[path] = new Entry(
                path, TypeName(type), Convert.ToString(Convert.ToInt32(f[2], 8), 8),
                int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture),
                type == 'f' ? long.Parse(f[5], CultureInfo.InvariantCulture) : 0,
                type == 'f' ? await Sha256Async(full) : null,
                type == 'l' ? f[6] : null,
                groups.GetValueOrDefault(f[7]),
                xattrs.GetValueOrDefault(path, ""),
                type is 'c' or 'b' ? (await ProcessRunner.RunAsync("stat", ["-c", "%t:%T", full])).EnsureSuccess().Stdout.Trim() : null,
                decimal.Parse(f[9], CultureInfo.InvariantCulture));
        }
        return entries;
    }

    /// <summary>Every path's extended attributes as <c>name=0xHEX;...</c> (sorted), from one <c>getfattr -R</c>.</summary>
    private static async Task<Dictionary<string, string>> XattrsAsync(string root)
    {
        var result = (await ProcessRunner.RunAsync("getfattr", ["--absolute-names", "--physical", "-h", "-R", "-d", "-m", "-", "-e", "hex", root])).EnsureSuccess();
        var byPath = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in result.Stdout.Split('\n'))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                var path = Path.GetRelativePath(root, Unescape(line["# file: ".Length..]));
                byPath[path] = current = [];
            }
            else if (line.Length > 0 && current is not null) current.Add(line);
        }
        // name=0xHEX lines become "name=hex;" each, sorted: the form known-differences files quote.
        return byPath.Where(p => p.Key != ".").ToDictionary(
            p => p.Key,
            p => string.Concat(p.Value.Select(l => l.Replace("=0x", "=", StringComparison.Ordinal) + ";").Order(StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    /// <summary>getfattr writes bytes outside printable ASCII (and the backslash) as <c>\ooo</c>.</summary>
    private static string Unescape(string escaped)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && IsOctal(escaped, i + 1))
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 1, 3), 8));
                i += 3;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(escaped[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
