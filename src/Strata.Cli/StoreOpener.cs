using System.CommandLine;
using Strata.Build.Cache;
using Strata.Images;

namespace Strata.Cli;

/// <summary>Opens the store the global options name.</summary>
internal static class StoreOpener
{
    /// <summary>Opens the store and reaps what killed strata processes left in it (<see cref="LeftoverReaper"/>).</summary>
    public static Task<ImageStore> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        OpenAsync(parse, reap: true, useReserve: false, cancellationToken);

    /// <summary>Opens the store without reaping: <c>system check</c> reports what killed processes left as it is.</summary>
    public static Task<ImageStore> OpenAsIsAsync(ParseResult parse, CancellationToken cancellationToken) =>
        OpenAsync(parse, reap: false, useReserve: false, cancellationToken);

    /// <summary>For the commands that free space (prune, rmi): on a full disk they may spend the store's reserve; leftovers are reaped.</summary>
    public static Task<ImageStore> OpenToFreeSpaceAsync(ParseResult parse, CancellationToken cancellationToken) =>
        OpenAsync(parse, reap: true, useReserve: true, cancellationToken);

    /// <summary><c>system check</c>: may spend the reserve on a full disk, and reports leftovers as they are instead of reaping them.</summary>
    public static Task<ImageStore> OpenAsIsToFreeSpaceAsync(ParseResult parse, CancellationToken cancellationToken) =>
        OpenAsync(parse, reap: false, useReserve: true, cancellationToken);

    private static async Task<ImageStore> OpenAsync(ParseResult parse, bool reap, bool useReserve, CancellationToken cancellationToken)
    {
        var options = ImageStoreOptions.Default with { UseReserveWhenFull = useReserve, OwnerTables = [BuildCacheTables.Tables] };
        var store = await ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), options, cancellationToken).ConfigureAwait(false);
        if (reap) await LeftoverReaper.ReapAsync(store, cancellationToken).ConfigureAwait(false);
        return store;
    }
}
