using Strata.Core.Unix;

namespace Strata.Execution;

/// <summary>
/// The mount points the runtime is about to create in a root filesystem, recorded before the run
/// and removed after it. A runtime creates an empty file or directory (and any missing parents)
/// where a mount's destination does not exist; left alone, <c>/etc/hosts</c> or
/// <c>/run/secrets</c> would end up in the layer of a step that never wrote them. BuildKit removes
/// such stubs the same way. Only what is still empty is removed, so anything the process put
/// there stays. The parent's modification time is restored when the process did not change the
/// parent's entries itself, so an untouched parent does not look changed either.
/// </summary>
internal sealed class MountStubs
{
    private readonly string _root;
    private readonly List<Stub> _stubs;

    private MountStubs(string root, List<Stub> stubs)
    {
        _root = root.TrimEnd('/');
        _stubs = stubs;
    }

    /// <summary>
    /// Records, for each destination (in mount order), the first missing component of its
    /// path in <paramref name="root"/>. Destinations below an earlier mount are skipped: the
    /// runtime creates those inside that mount (a tmpfs, /proc, a bind source), not in the root.
    /// </summary>
    public static MountStubs Record(string root, IReadOnlyList<string> destinations)
    {
        var stubs = new List<Stub>();
        for (int i = 0; i < destinations.Count; i++)
        {
            var destination = destinations[i];
            bool nested = false;
            for (int j = 0; j < i && !nested; j++)
                nested = destinations[j] == "/" || destination.StartsWith(destinations[j] + "/", StringComparison.Ordinal);
            if (nested) continue;
            var resolved = RootPath.Resolve(root, destination, out var missing);
            if (missing is null) continue;
            var parent = Parent(missing);
            var parentHost = parent == "/" ? root.TrimEnd('/') : root.TrimEnd('/') + parent;
            var parentStatus = Libc.Lstat(parentHost);
            stubs.Add(new Stub(missing, resolved, parent, parentStatus.MtimeSeconds, parentStatus.MtimeNanoseconds, Entries(parentHost)));
        }
        return new MountStubs(root, stubs);
    }

    /// <summary>The first-missing paths that were recorded (container paths), for tests and logs.</summary>
    public IReadOnlyList<string> Paths => _stubs.Select(s => s.Path).Distinct().ToList();

    /// <summary>
    /// Removes what the runtime created, deepest first, as long as it is still empty. Call only
    /// once no process of the container runs any more.
    /// </summary>
    public void Remove()
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stub in _stubs)
        {
            for (var p = stub.Leaf; p.Length >= stub.Path.Length && p != "/"; p = Parent(p))
                candidates.Add(p);
        }
        foreach (var path in candidates.OrderByDescending(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal))
            TryRemoveEmpty(path);

        foreach (var stub in _stubs.DistinctBy(s => s.Path))
        {
            if (Libc.TryLstat(_root + stub.Path, out _)) continue;
            if (!RootPath.HasNoLinks(_root, stub.Parent)) continue;
            var parentHost = stub.Parent == "/" ? _root : _root + stub.Parent;
            // Only when the process left the parent's entries as they were: then the runtime's
            // stub is the sole reason the time moved. Otherwise the directory really changed.
            try
            {
                if (Libc.TryLstat(parentHost, out var st) && st.IsDirectory && Entries(parentHost).SetEquals(stub.ParentEntries))
                    Libc.Lutimes(parentHost, stub.ParentMtimeSeconds, stub.ParentMtimeNanoseconds);
            }
            catch (IOException)
            {
                // A time left moved is cosmetic; it must not turn a finished run into a failure.
            }
        }
    }

    private void TryRemoveEmpty(string containerPath)
    {
        // Re-check for links: the process may have swapped a directory for a link to the host.
        if (!RootPath.HasNoLinks(_root, containerPath)) return;
        var host = _root + containerPath;
        if (!Libc.TryLstat(host, out var status)) return;
        try
        {
            if (status.IsRegular && status.Size == 0) File.Delete(host);
            else if (status.IsDirectory && !Directory.EnumerateFileSystemEntries(host).Any()) Directory.Delete(host);
        }
        catch (IOException)
        {
            // Still busy or changed under us: keeping a stub is better than failing the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static HashSet<string> Entries(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static string Parent(string containerPath)
    {
        int slash = containerPath.LastIndexOf('/');
        return slash <= 0 ? "/" : containerPath[..slash];
    }

    private sealed record Stub(string Path, string Leaf, string Parent, long ParentMtimeSeconds, int ParentMtimeNanoseconds, HashSet<string> ParentEntries);
}
