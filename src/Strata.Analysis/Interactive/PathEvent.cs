using Strata.Archive;

namespace Strata.Analysis.Interactive;

/// <summary>
/// One layer's change to one path. For <see cref="ChangeKind.Removed"/>, type and size are the
/// removed copy's. <see cref="Wasted"/>: this copy does not ship (a later layer deleted or
/// overwrote it); a removal is never wasted itself.
/// </summary>
internal record struct PathEvent(int Layer, ChangeKind Kind, LayerEntryType Type, long Size, bool Wasted);
