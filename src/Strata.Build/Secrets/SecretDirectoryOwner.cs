using Strata.Images;
using Strata.Images.Gc;

namespace Strata.Build.Secrets;

/// <summary>
/// The secret directories of a store's builds (<see cref="SecretDirectories"/>) as an owner for
/// the store's collector: <c>system check</c> reports a killed build's directory as unused and
/// <c>--repair</c> (so <c>system prune</c>) removes it. Nothing else of it is pruned: a live
/// build's directory is its own until the step ends.
/// </summary>
public sealed class SecretDirectoryOwner : IStorageOwner
{
    private readonly StoreLayout _layout;

    public SecretDirectoryOwner(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _layout = store.Layout;
    }

    public Task<PruneReport> PruneAsync(bool all, CancellationToken cancellationToken) => Task.FromResult(PruneReport.Empty);

    public IReadOnlyList<StoreLeftover> Leftovers() =>
    [
        .. SecretDirectories.Orphans(_layout).Select(o => new StoreLeftover(o.Path, $"the secret directory of build process {o.Pid}, which is gone")
        {
            Finding = $"directory {o.Path} holds secrets of build process {o.Pid}, which is gone",
        }),
    ];
}
