namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// One request as <see cref="FaultProxy"/> saw it: method, path (no query), the <c>Range</c> and
/// <c>Content-Range</c> it carried, and what came of it: the status (<c>200 cut</c> when its body was cut), or <c>cut</c> when the request's own body was.
/// </summary>
public sealed record ProxiedRequest(string Method, string Path, string? Range, string? ContentRange, string Outcome)
{
    /// <summary><c>METHOD PATH -> OUTCOME</c>.</summary>
    public override string ToString() => $"{Method} {Path} -> {Outcome}";
}
