namespace Strata.Registry.Tests.Fixtures;

/// <summary>Tests that share the one plain-http registry started for the run (each uses its own repositories).</summary>
[CollectionDefinition(Name)]
public sealed class RegistryGroup : ICollectionFixture<RegistryServer>
{
    public const string Name = "registry";
}
