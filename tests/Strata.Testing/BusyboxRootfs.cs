namespace Strata.Testing;

/// <summary>
/// The offline base of the tests: a root filesystem made of the static busybox (Debian
/// busybox-static), a symlink per applet in /bin, and whatever directories and files a test's
/// base needs. The one builder every test project uses; what each base holds is the test
/// project's data (its tests assert paths and contents), given as a value of this record.
/// </summary>
public sealed record BusyboxRootfs
{
    public const string HostBusybox = "/bin/busybox";

    /// <summary>Just /bin/busybox and /bin/sh.</summary>
    public static readonly BusyboxRootfs Minimal = new();

    /// <summary>The busybox binary to copy: the host's, or another architecture's.</summary>
    public string Busybox { get; init; } = HostBusybox;

    /// <summary>Applets linked in /bin (to <c>busybox</c>), in this order.</summary>
    public IReadOnlyList<string> Applets { get; init; } = ["sh"];

    /// <summary>Directories made before the files (relative paths), e.g. mount points.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>Files written, in this order (relative path, text).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Files { get; init; } = [];

    /// <summary>Modes set last (relative path of a directory or file, mode).</summary>
    public IReadOnlyList<KeyValuePair<string, UnixFileMode>> Modes { get; init; } = [];

    /// <summary>The usual /etc/passwd and /etc/group with root only.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> RootUserFiles { get; } =
    [
        new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
        new("etc/group", "root:x:0:\n"),
    ];

    /// <summary>Builds the root filesystem in <paramref name="root"/> (made if missing); returns it.</summary>
    public string Create(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!File.Exists(Busybox))
            throw new FileNotFoundException($"{Busybox} is missing: run scripts/install-deps.sh (package busybox-static)", Busybox);
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        File.Copy(Busybox, Path.Combine(bin, "busybox"));
        File.SetUnixFileMode(Path.Combine(bin, "busybox"), (UnixFileMode)0x1ED);
        foreach (var applet in Applets) File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        foreach (var dir in Directories) Directory.CreateDirectory(Path.Combine(root, dir));
        foreach (var (path, text) in Files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        foreach (var (path, mode) in Modes) File.SetUnixFileMode(Path.Combine(root, path), mode);
        return root;
    }
}
