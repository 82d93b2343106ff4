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
}
