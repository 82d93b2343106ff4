namespace Strata.Images.Gc;

/// <summary>A directory a crashed operation left behind, and what it is (<c>system check</c> says: "directory PATH is WHAT").</summary>
public sealed record StoreLeftover(string Path, string What);
