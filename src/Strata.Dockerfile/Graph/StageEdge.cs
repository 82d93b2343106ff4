namespace Strata.Dockerfile.Graph;

/// <summary>Stage <see cref="From"/> (index) needs stage <see cref="To"/> (index), because of the instruction on <see cref="Line"/>.</summary>
public sealed record StageEdge(int From, int To, StageEdgeKind Kind, int Line);
