using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Dockerfile.Syntax;

namespace Strata.Analysis.Lint;

/// <summary>
/// <c>strata lint</c>'s engine: parses with the Dockerfile front end, reports the front end's own
/// BuildKit checks under their names (<see cref="LintRules"/> lists them; they are not checked a
/// second time here), then runs Strata's rules. Reads no disk itself: the context, when there is
/// one, comes in as a <see cref="LintContext"/>.
/// </summary>
public static class DockerfileLinter
{
    public static LintReport Lint(string text, string fileName = "Dockerfile", LintContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ParseResult parsed;
        CheckOptions check;
        DockerfileDefinition definition;
        try
        {
            parsed = DockerfileParser.Parse(text, fileName);
            check = CheckOptions.Parse(parsed.Directives.Check);
            // Parse without the check directive: with error=true the front end stops at the first
            // warning, and lint wants them all (it applies skip and error itself, see LintSession).
            definition = InstructionParser.Parse(parsed with { Directives = parsed.Directives with { Check = null } });
        }
        catch (DockerfileException ex)
        {
            return Failed(fileName, ex);
        }

        var session = new LintSession(definition, parsed.Lines, check, context);
        IReadOnlyList<DockerfileWarning> warnings;
        try
        {
            warnings = BuildArgsScope.Expand(definition, null, fileName).Warnings;
        }
        catch (DockerfileException ex)
        {
            warnings = definition.Warnings;
            var at = ex.Position ?? new SourcePosition(1, 1);
            session.Add(LintRules.ParseError, at.Line, at.Line, at.Column, ex.Reason);
        }
        foreach (var w in warnings) AddFrontendWarning(session, w);
        PackageChecks.Check(session);
        LayerChecks.Check(session);
        CacheChecks.Check(session);
        BaseChecks.Check(session);
        var sorted = session.Findings.OrderBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.Code, StringComparer.Ordinal).ToList();
        return new LintReport(fileName, sorted);
    }

    private static void AddFrontendWarning(LintSession session, DockerfileWarning warning)
    {
        var rule = LintRules.Find(warning.Rule) ?? new LintRule(warning.Rule, warning.Rule, LintSeverity.Warning, warning.Message, "", null, "https://docs.docker.com/reference/build-checks/");
        int line = Math.Max(warning.Line, 1);
        // The front end knows lines only; the instruction starting there gives the column.
        var ins = session.Instructions.FirstOrDefault(i => i.Range.StartLine == line);
        session.Add(rule, line, line, ins?.Range.StartColumn ?? 1, warning.Message);
    }

    private static LintReport Failed(string fileName, DockerfileException ex)
    {
        var at = ex.Position ?? new SourcePosition(1, 1);
        return new LintReport(fileName, [new LintFinding(LintRules.ParseError.Code, LintSeverity.Error, ex.Reason, at.Line, at.Column)]);
    }
}
