namespace Strata.Registry.Tests.Fixtures;

/// <summary>A second plain-http registry, the mirror in registries.conf tests (its own type so xunit starts it beside the shared one).</summary>
public sealed class MirrorRegistry : RegistryServer;
