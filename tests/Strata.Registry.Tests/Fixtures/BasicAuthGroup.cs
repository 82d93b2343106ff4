namespace Strata.Registry.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class BasicAuthGroup : ICollectionFixture<BasicAuthRegistry>
{
    public const string Name = "registry with basic auth over TLS";
}
