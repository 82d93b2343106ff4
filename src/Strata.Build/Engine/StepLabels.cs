using System.Globalization;
using Strata.Build.Steps;
using Strata.Dockerfile.Expansion;

namespace Strata.Build.Engine;

/// <summary>
/// BuildKit's step labels (dockerfile2llb's prefixCommand), made in this one place: a stage's
/// vertices are its FROM and the instructions that change the filesystem (RUN, COPY, ADD,
/// WORKDIR), numbered from 1 with FROM, padded to the width of the total:
/// <c>[base 2/4] RUN ...</c>, <c>[ 1/12] FROM ...</c>. The stage is named by its AS name, or
/// <c>stage-N</c> (N its index in the Dockerfile) when it has none; a Dockerfile of one stage
/// names none. Metadata-only instructions (ENV, LABEL, CMD, USER...) are no vertex and have no label.
/// </summary>
internal sealed class StepLabels
{
    private readonly string _prefix;
    private readonly int _total;
    private readonly int _width;
    private readonly int?[] _numbers;

    /// <param name="platformPrefix">A multi-platform build's <c>linux/arm64 </c> before the stage (BuildContext.PlatformLabel), else empty.</param>
    public StepLabels(ExpandedStage stage, int stagesInDockerfile, string platformPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(stage);
        _prefix = platformPrefix + (stagesInDockerfile <= 1 ? "" : (stage.Stage.Name ?? "stage-" + stage.Stage.Index.ToString(CultureInfo.InvariantCulture)) + " ");
        _numbers = new int?[stage.Steps.Count];
        int number = 1;
        for (int i = 0; i < stage.Steps.Count; i++)
            if (IsVertex(stage.Steps[i])) _numbers[i] = ++number;
        _total = number;
        _width = _total.ToString(CultureInfo.InvariantCulture).Length;
    }

    /// <summary>Whether BuildKit shows the step as a vertex of its own.</summary>
    public static bool IsVertex(ExpandedStep step) => StepExecutors.MakesLayer(step.Instruction);

    /// <summary>The FROM's label, <c>[stage-1 1/3]</c>.</summary>
    public string From => Label(1);

    /// <summary>The label of the stage's step at <paramref name="index"/> (0-based), or null for a metadata-only step.</summary>
    public string? Of(int index) => _numbers[index] is { } n ? Label(n) : null;

    /// <summary>An ONBUILD trigger of the base, run before the stage's own steps (not counted by BuildKit's total).</summary>
    public string Trigger => "[" + _prefix + "ONBUILD]";

    private string Label(int number) => "[" + _prefix + number.ToString(CultureInfo.InvariantCulture).PadLeft(_width) + "/" + _total.ToString(CultureInfo.InvariantCulture) + "]";
}
