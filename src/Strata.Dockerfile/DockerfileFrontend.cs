using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Dockerfile.Reports;

namespace Strata.Dockerfile;

/// <summary>
/// The front end in one call for callers that want the whole pipeline:
/// text -> syntax tree -> typed stages -> scoped and expanded stages pruned to the target.
/// </summary>
public static class DockerfileFrontend
{
    /// <summary>Parses to typed stages (no expansion).</summary>
    public static DockerfileDefinition Parse(string text, string fileName = "Dockerfile") => InstructionParser.Parse(text, fileName);

    /// <summary>Parses, scopes ARG/ENV, expands and builds the stage graph.</summary>
    public static ExpandedDockerfile ParseAndExpand(string text, BuildOptions? options = null, string fileName = "Dockerfile") =>
        BuildArgsScope.Expand(Parse(text, fileName), options, fileName);

    /// <summary>The report that <c>strata dockerfile parse</c> prints.</summary>
    public static DockerfileReport Report(string text, BuildOptions? options = null, string fileName = "Dockerfile")
    {
        var definition = Parse(text, fileName);
        return DockerfileReportWriter.Create(definition, BuildArgsScope.Expand(definition, options, fileName));
    }
}
