namespace Strata.Dockerfile;

/// <summary>
/// A lint finding collected while parsing (never printed by the library). <see cref="Rule"/> uses
/// BuildKit's rule names (<c>NoEmptyContinuation</c>, <c>MaintainerDeprecated</c>,
/// <c>JSONArgsRecommended</c>, <c>FromAsCasing</c>, <c>UndefinedVar</c>, ...) so users can
/// search for them and <c># check=skip=</c> can name them.
/// </summary>
public sealed record DockerfileWarning(string Rule, string Message, int Line);
