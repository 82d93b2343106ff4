namespace Strata.Containers.Tests.Fixtures;

/// <summary>The differential diff tests: one dockerd, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DockerDiffGroup : ICollectionFixture<DockerDiffPeer>
{
    public const string Name = "docker-diff";
}
