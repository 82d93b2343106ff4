namespace Strata.Registry.Configuration;

/// <summary>
/// One <c>[[registry.mirror]]</c>: <paramref name="Location"/> (<c>host[:port][/namespace...]</c>)
/// replaces the registry's prefix when pulling; <paramref name="Insecure"/> allows plain http and
/// unverified TLS for its host.
/// </summary>
public sealed record RegistryMirror(string Location, bool Insecure, PullFromMirror PullFrom);
