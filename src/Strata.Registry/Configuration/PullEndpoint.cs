using Strata.Core;

namespace Strata.Registry.Configuration;

/// <summary>
/// One place a pull may read a reference from: <paramref name="Reference"/> is the name rewritten
/// for that place (a mirror's or the registry's location), <paramref name="Mirror"/> says
/// whether it is a mirror (tried before the origin, and left for the next place when it fails).
/// </summary>
public sealed record PullEndpoint(ImageReference Reference, bool Insecure, bool Mirror);
