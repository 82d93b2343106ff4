using System.CommandLine;
using Strata.Build.Containers;
using Strata.Build.Workspace;
using Strata.Execution;
using Strata.Images;

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
        new(store, SnapshotWorkspace.Open(store), RuncExecutor.Create(RuntimeOptions(store)), TimeProvider.System);

    /// <summary>Where the runtime keeps the store's containers: state under &lt;store&gt;/runtime/state, bundles under &lt;store&gt;/runtime/bundles.</summary>
    public static RuncOptions RuntimeOptions(ImageStore store)
    {
        var runtimeDir = Path.Combine(store.Layout.Root, "runtime");
        return new RuncOptions { StateDirectory = Path.Combine(runtimeDir, "state"), BundleDirectory = Path.Combine(runtimeDir, "bundles") };
    }
}
