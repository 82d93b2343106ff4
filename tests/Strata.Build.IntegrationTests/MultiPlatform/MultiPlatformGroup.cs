namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>The multi-platform tests share one host fixture (one registration of the aarch64 handler).</summary>
[CollectionDefinition(Name)]
public sealed class MultiPlatformGroup : ICollectionFixture<MultiPlatformHost>
{
    public const string Name = "multi-platform";
}
