namespace Strata.Registry.Tests.Fixtures;

/// <summary>Tests that need the registry and a docker engine (one of each for the run).</summary>
[CollectionDefinition(Name)]
public sealed class RegistryAndDockerGroup : ICollectionFixture<RegistryServer>, ICollectionFixture<Dockerd>
{
    public const string Name = "registry+docker";
}
