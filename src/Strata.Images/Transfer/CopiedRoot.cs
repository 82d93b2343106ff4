using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>What one copy of a root brought: the root, its index when it is one, and the images written.</summary>
public sealed record CopiedRoot(Descriptor Root, IndexDocument? Index, IReadOnlyList<CopiedChild> Children);
