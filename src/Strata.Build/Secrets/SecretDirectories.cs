using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Images;

namespace Strata.Build.Secrets;

/// <summary>
/// The private directories a RUN step's secrets live in while it runs (secret files, agent
/// sockets, and the runtime bundle of a step with a secret in its environment):
/// <c>/dev/shm/strata-secrets-STORE-PID-GUID</c>, 0700, on tmpfs so secret bytes never reach a
/// disk. The step deletes its directory when it ends; a build killed with SIGKILL cannot, so the
/// owning pid is in the name and a directory whose process is gone is garbage
/// (<c>system prune</c>, <c>system check --repair</c>, through <see cref="SecretDirectoryOwner"/>).
/// STORE (a hash of the store's root) keeps one store's check from judging another store's
/// builds. A pid reused by another process keeps the directory until that process ends too: the
/// safe direction.
/// </summary>
public static class SecretDirectories
{
    public const string Prefix = "strata-secrets-";

    /// <summary>/dev/shm when the host has it (a tmpfs), else the temp directory.</summary>
    public static string Parent => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>A new directory name owned by this process, for a build on <paramref name="layout"/>'s store.</summary>
    public static string NewName(StoreLayout layout) =>
        $"{StorePrefix(layout)}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";

    /// <summary>
    /// This store's secret directories whose owning process no longer exists, with that pid, in
    /// both places a build may have put them (/dev/shm and the temp directory).
    /// </summary>
    public static IReadOnlyList<(string Path, int Pid)> Orphans(StoreLayout layout) =>
        OrphansIn(layout, ["/dev/shm", Path.GetTempPath()]);

    /// <summary>
    /// As <see cref="Orphans"/>, only where this host's builds put them now (<see cref="Parent"/>):
    /// what every command reaps as it opens the store, without listing a temp directory that may
    /// hold thousands of entries. <c>system check</c> still looks in both places.
    /// </summary>
    public static IReadOnlyList<(string Path, int Pid)> CurrentOrphans(StoreLayout layout) => OrphansIn(layout, [Parent]);

    private static List<(string Path, int Pid)> OrphansIn(StoreLayout layout, IEnumerable<string> parents)
    {
        var prefix = StorePrefix(layout);
        var orphans = new List<(string, int)>();
        foreach (var parent in parents.Select(p => p.TrimEnd('/')).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(parent)) continue;
            foreach (var dir in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                var rest = Path.GetFileName(dir)[prefix.Length..];
                int dash = rest.IndexOf('-', StringComparison.Ordinal);
                // Names without a pid (older builds) cannot be attributed and are left alone.
                if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (!Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")) orphans.Add((dir, pid));
            }
        }
        return orphans;
    }

    private static string StorePrefix(StoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var root = Path.GetFullPath(layout.Root).TrimEnd('/');
        return Prefix + Digest.Compute(Encoding.UTF8.GetBytes(root)).Encoded[..12] + "-";
    }
}
