namespace Strata.Integration.Tests.Fixtures;

/// <summary>Tests that talk to the one private dockerd started for the run.</summary>
[CollectionDefinition(Name)]
public sealed class DockerPeer : ICollectionFixture<Dockerd>
{
    public const string Name = "dockerd peer";
}
