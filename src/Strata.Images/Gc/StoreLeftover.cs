namespace Strata.Images.Gc;

/// <summary>A directory a crashed operation left behind, and what it is (<c>system check</c> says: "directory PATH is WHAT").</summary>
public sealed record StoreLeftover(string Path, string What)
{
    /// <summary><c>system check</c>'s line for it: "directory PATH is WHAT", unless its owner words it otherwise.</summary>
    public string Finding { get; init; } = $"directory {Path} is {What}";
}
