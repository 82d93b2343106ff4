using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// A whole Dockerfile, typed: the global ARGs (before the first FROM), the stages in order, the
/// directives and every warning found (parser and instruction level), honouring <c># check=skip=</c>.
/// </summary>
public sealed record DockerfileDefinition(
    IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages,
    ParserDirectives Directives,
    IReadOnlyList<DockerfileWarning> Warnings)
{
    /// <summary>The stage with this name (case-insensitive) or index, or null.</summary>
    public Stage? FindStage(string nameOrIndex)
    {
        ArgumentNullException.ThrowIfNull(nameOrIndex);
        var lower = nameOrIndex.ToLowerInvariant();
        foreach (var s in Stages) if (s.Name == lower) return s;
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 0 && i < Stages.Count) return Stages[i];
        return null;
    }
}
