using System.CommandLine;
using System.Globalization;
using Strata.Core.Unix;
using Strata.Rootfs;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata info</c>: what this user's strata works with, as <c>docker info</c> shows a daemon's
/// setup: the store, whether it runs rootless and with which id mapping, and the snapshotter
/// the store uses (overlay, overlay with userxattr inside a user namespace, or copy).
/// </summary>
internal static class InfoVerb
{
    public static Command Create()
    {
        var command = new Command("info", "Show the store, rootless mode and snapshotter in use");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = await StoreOpener.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            var snapshotter = SnapshotWorkspace.Open(store, GlobalOptions.Snapshotter).Snapshotter.Name;
            bool nested = UserNamespace.IsNested;
            var lines = new List<(string, string)>
            {
                ("Store", store.Layout.Root),
                ("Rootless", RootlessEntry.IsRootless
                    ? "yes (uid " + (Environment.GetEnvironmentVariable(RootlessEntry.Variable) ?? Libc.Geteuid().ToString(CultureInfo.InvariantCulture)) + ")"
                    : "no"),
                ("Snapshotter", SnapshotterName(snapshotter)),
            };
            if (nested) lines.Add(("User namespace", IdMap("/proc/self/uid_map") + "; gids " + IdMap("/proc/self/gid_map")));
            if (RootlessEntry.IsRootless) lines.Add(("Runtime state", RootlessEntry.RuntimeDirectory()));
            foreach (var (name, value) in lines) Console.Out.WriteLine($"{name + ":",-16}{value}");
            return 0;
        });
        return command;
    }

    /// <summary>The snapshotter as info and <c>--debug</c> show it: overlay inside a user namespace uses user.* xattrs.</summary>
    public static string SnapshotterName(string name) => name == "overlay" && UserNamespace.IsNested ? "overlay (userxattr)" : name;

    /// <summary>A kernel id map on one line: "0 1000 1, 1 100000 65536".</summary>
    private static string IdMap(string file) =>
        string.Join(", ", File.ReadAllLines(file).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
}
