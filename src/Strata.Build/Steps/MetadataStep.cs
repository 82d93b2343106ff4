using Strata.Build.Config;
using Strata.Build.Engine;
using Strata.Build.History;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, USER, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD and
/// MAINTAINER: the config changes (<see cref="ImageConfigEditor"/>) and an <c>empty_layer</c>
/// history entry is added; no filesystem is touched.
/// </summary>
internal sealed class MetadataStep : IStepExecutor
{
    private readonly Instruction _instruction;

    public MetadataStep(Instruction instruction) => _instruction = instruction;

    public Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        if (_instruction is MaintainerInstruction m) state = state with { Config = state.Config with { Author = m.Maintainer } };
        var container = ImageConfigEditor.Apply(state.Container, _instruction, state.CmdSet);
        var next = state.WithContainer(container) with { CmdSet = state.CmdSet || _instruction is CmdInstruction };
        // BuildKit records ONBUILD only in the config's OnBuild list, with no history entry.
        if (_instruction is OnbuildInstruction) return Task.FromResult(next);
        return Task.FromResult(next.AddHistory(scope.History(HistoryText.ForMetadata(_instruction, container), empty: true)));
    }
}
