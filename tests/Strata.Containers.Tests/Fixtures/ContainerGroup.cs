namespace Strata.Containers.Tests.Fixtures;

/// <summary>Tests that share the <see cref="ContainerStore"/> (and run one after another: runc and overlay are real).</summary>
[CollectionDefinition(Name)]
public sealed class ContainerGroup : ICollectionFixture<ContainerStore>
{
    public const string Name = "containers";
}
