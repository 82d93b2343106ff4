using System.CommandLine;
using Strata.Images;

namespace Strata.Cli;

/// <summary>Opens the store the global options name.</summary>
internal static class StoreOpener
{
    public static Task<ImageStore> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), ImageStoreOptions.Default, cancellationToken);

    /// <summary>For the commands that free space (check, prune, rmi): on a full disk they may spend the store's reserve.</summary>
    public static Task<ImageStore> OpenToFreeSpaceAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), ImageStoreOptions.Default with { UseReserveWhenFull = true }, cancellationToken);
}
