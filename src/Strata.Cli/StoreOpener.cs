using System.CommandLine;
using Strata.Images;

namespace Strata.Cli;

/// <summary>Opens the store the global options name.</summary>
internal static class StoreOpener
{
    /// <summary>Opens the store and reaps what killed strata processes left in it (<see cref="LeftoverReaper"/>).</summary>
    public static async Task<ImageStore> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var store = await OpenAsIsAsync(parse, cancellationToken).ConfigureAwait(false);
        await LeftoverReaper.ReapAsync(store, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Opens the store without reaping: <c>system check</c> reports what killed processes left as it is.</summary>
    public static Task<ImageStore> OpenAsIsAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), ImageStoreOptions.Default, cancellationToken);

    /// <summary>For the commands that free space (prune, rmi): on a full disk they may spend the store's reserve; killed processes' leftovers are reaped.</summary>
    public static async Task<ImageStore> OpenToFreeSpaceAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var store = await OpenAsIsToFreeSpaceAsync(parse, cancellationToken).ConfigureAwait(false);
        await LeftoverReaper.ReapAsync(store, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary><c>system check</c>: may spend the reserve on a full disk, and reports leftovers as they are instead of reaping them.</summary>
    public static Task<ImageStore> OpenAsIsToFreeSpaceAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), ImageStoreOptions.Default with { UseReserveWhenFull = true }, cancellationToken);
}
