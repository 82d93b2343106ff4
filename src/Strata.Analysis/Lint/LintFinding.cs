namespace Strata.Analysis.Lint;

/// <summary>One finding: which rule, how bad, what exactly, and where (1-based line and column).</summary>
public sealed record LintFinding(string Code, LintSeverity Severity, string Message, int Line, int Column);
