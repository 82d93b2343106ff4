namespace Strata.Analysis.Image;

/// <summary>
/// One rule of <c>strata analyze</c> as reports describe it: the stable id findings carry, a
/// PascalCase name, its category and severity, what it means, and the general fix (each finding
/// also has its own, naming the layers).
/// </summary>
public sealed record AnalysisRule(string Id, string Name, string Category, string Severity, string Summary, string Fix);
