namespace Strata.Snapshots.Tests;

/// <summary>The contract, run by <see cref="OverlaySnapshotter"/>.</summary>
public sealed class OverlaySnapshotterContractTests : SnapshotterContractTests
{
    private protected override ISnapshotter Create(string root) => new OverlaySnapshotter(root);
}
