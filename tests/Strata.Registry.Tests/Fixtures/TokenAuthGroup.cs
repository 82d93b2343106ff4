namespace Strata.Registry.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class TokenAuthGroup : ICollectionFixture<TokenAuthRegistry>
{
    public const string Name = "registry with token auth";
}
