namespace Strata.Analysis.Lint;

/// <summary>
/// How bad a finding is. Mirrors hadolint's levels where a rule has a hadolint twin, so its users
/// keep their expectations; SARIF calls <see cref="Info"/> a <c>note</c>.
/// </summary>
public enum LintSeverity
{
    /// <summary>A secret in a layer or history, or a Dockerfile that does not parse: fails <c>strata lint</c> by default.</summary>
    Error,

    /// <summary>Costs build time or image size, or breaks reproducibility.</summary>
    Warning,

    /// <summary>A hint: worth knowing, often deliberate.</summary>
    Info,
}
