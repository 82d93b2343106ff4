using System.CommandLine;

namespace Strata.Cli;

/// <summary>Options every verb accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Root = new("--root")
    {
        Description = "Store directory (default: $STRATA_ROOT, else /var/lib/strata as root, else $XDG_DATA_HOME/strata)",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "Print stack traces with errors",
        Recursive = true,
    };

    /// <summary>
    /// The snapshotter every command asks for: <c>$STRATA_SNAPSHOTTER</c> (auto, overlay,
    /// fuse-overlayfs or copy, as nerdctl's CONTAINERD_SNAPSHOTTER), else auto. A store keeps the
    /// kind it was first used with.
    /// </summary>
    public static string Snapshotter =>
        Environment.GetEnvironmentVariable("STRATA_SNAPSHOTTER") is { Length: > 0 } kind ? kind : "auto";

    /// <summary>The store root for this invocation, resolved as DESIGN.md describes.</summary>
    public static string ResolveRoot(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var explicitRoot = parse.GetValue(Root);
        if (!string.IsNullOrEmpty(explicitRoot)) return Path.GetFullPath(explicitRoot);
        var env = Environment.GetEnvironmentVariable("STRATA_ROOT");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        // Inside its user namespace a rootless strata is uid 0 too: RootlessEntry tells them apart.
        if (!RootlessEntry.IsRootless) return "/var/lib/strata";
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(xdg)) xdg = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(xdg, "strata");
    }
}
