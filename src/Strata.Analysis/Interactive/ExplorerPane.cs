namespace Strata.Analysis.Interactive;

/// <summary>The pane that up/down move in.</summary>
public enum ExplorerPane
{
    Layers,
    Files,
}
