namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>All tests that need the reference builder share one dockerd (and run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class DockerdGroup : ICollectionFixture<DockerdFixture>
{
    public const string Name = "dockerd peer";
}
