using System.CommandLine;
using Strata.Containers;
using Strata.Images;
using Strata.Rootfs;

namespace Strata.Cli;

/// <summary>The store's container manager: overlay snapshots at &lt;store&gt;/snapshotter, runc state under &lt;store&gt;/runtime.</summary>
internal static class ContainerOpener
{
    public static async Task<ContainerManager> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var store = await StoreOpener.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
        return Create(store);
    }

    /// <summary>The manager of an open store.</summary>
    public static ContainerManager Create(ImageStore store) =>
        new(store, SnapshotWorkspace.Open(store, GlobalOptions.Snapshotter), RuntimeOpener.Open(store.Layout.Root), TimeProvider.System);
}
