using Strata.Build.Cache;
using Strata.Core;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Build.Engine;

/// <summary>
/// Where a stage stands after a step: the image config so far, its layers and history, and the
/// snapshot holding the layer stack, the ARGs in scope (for RUN's history) and the stage's cache
/// chain (its key so far). Each step returns a new state.
/// </summary>
internal sealed record StageState(ImageConfig Config, IReadOnlyList<LayerRecord> Layers, IReadOnlyList<HistoryEntry> History, string? Snapshot, bool CmdSet)
{
    /// <summary>
    /// The stage's ARGs in declaration order with their values, as BuildKit's RUN history lists
    /// them (a redeclared one keeps its first place). A new stage starts with none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Args { get; init; } = [];

    /// <summary>
    /// The stage's cache chain: after the last step, the key stages built FROM this one chain on
    /// and whether anything of it rebuilt. Null before the stage's base is keyed.
    /// </summary>
    public CacheChain? Cache { get; init; }

    /// <summary>
    /// The Dockerfile line of each <see cref="History"/> entry this build made (0 for the base
    /// image's and ONBUILD triggers'; shorter than History when its tail is the base's), for the
    /// manifest's provenance annotations that analysis reads.
    /// </summary>
    public IReadOnlyList<int> HistoryLines { get; init; } = [];

    /// <summary>The layers the stage's FROM gave it: the base that analysis tells apart from the user's layers.</summary>
    public int BaseLayers { get; init; }

    /// <summary>Marks the history entries after the first <paramref name="before"/> as made by Dockerfile line <paramref name="line"/>.</summary>
    public StageState MarkLines(int before, int line) => this with
    {
        HistoryLines = [.. HistoryLines.Take(before), .. Enumerable.Repeat(0, Math.Max(0, before - HistoryLines.Count)), .. Enumerable.Repeat(line, Math.Max(0, History.Count - before))],
    };

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
