namespace Strata.Snapshots.Tests;

/// <summary>The contract, run by <see cref="CopySnapshotter"/>.</summary>
public sealed class CopySnapshotterContractTests : SnapshotterContractTests
{
    private protected override ISnapshotter Create(string root) => new CopySnapshotter(root);
}
