using Spectre.Console;
using Spectre.Console.Rendering;
using Strata.Cli.Formatting;

namespace Strata.Cli;

/// <summary>
/// A progress row's bytes as docker's progress bars write them (go-units HumanSize):
/// <c>1.2MB/5.874MB</c>, or only the bytes so far while the total is unknown.
/// </summary>
internal sealed class ByteSizeColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var done = HumanUnits.HumanSize(task.Value);
        return new Text(task.IsIndeterminate ? done : $"{done}/{HumanUnits.HumanSize(task.MaxValue)}");
    }
}
