using System.CommandLine;
using Strata.Images;

namespace Strata.Cli;

/// <summary>Opens the store the global options name.</summary>
internal static class StoreOpener
{
    public static Task<ImageStore> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ImageStore.OpenAsync(GlobalOptions.ResolveRoot(parse), ImageStoreOptions.Default, cancellationToken);
}
