using Strata.Core;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Build.Engine;

/// <summary>
/// Where a stage stands after a step: the image config so far, its layers and history, and the
/// snapshot holding the layer stack. Each step returns a new state.
/// </summary>
internal sealed record StageState(ImageConfig Config, IReadOnlyList<LayerRecord> Layers, IReadOnlyList<HistoryEntry> History, string? Snapshot, bool CmdSet)
{
    public ContainerConfig Container => Config.Config ?? new ContainerConfig();

    /// <summary>The directory relative paths start from: WORKDIR, or / without one.</summary>
    public string WorkingDirOrRoot => Container.WorkingDir is { Length: > 0 } w ? w : "/";

    public IReadOnlyList<DiffId> DiffIds => [.. Layers.Select(l => l.DiffId)];

    public StageState WithContainer(ContainerConfig container) => this with { Config = Config with { Config = container } };

    public StageState AddHistory(HistoryEntry entry) => this with { History = [.. History, entry] };

    public StageState AddLayer(LayerRecord layer, string snapshot) => this with
    {
        Layers = [.. Layers, layer],
        Snapshot = snapshot,
        Config = Config with { RootFs = new RootFs([.. Layers.Select(l => l.DiffId), layer.DiffId]) },
    };
}
