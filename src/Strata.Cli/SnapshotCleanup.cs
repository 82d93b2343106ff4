using Strata.Images;
using Strata.Rootfs;

namespace Strata.Cli;

/// <summary>After images go, their unpacked layers go too (only when builds ever unpacked any).</summary>
internal static class SnapshotCleanup
{
    public static async Task<int> RunAsync(ImageStore store, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(store.Layout.Root, "snapshotter"))) return 0;
        var workspace = SnapshotWorkspace.Open(store);
        return await SnapshotCollector.CollectAsync(store, workspace.Snapshotter, staleAfter, cancellationToken).ConfigureAwait(false);
    }
}
