namespace Strata.Containers;

/// <summary>One line of <c>diff</c>: what changed at <paramref name="Path"/> and the bytes the writable layer spends on it.</summary>
public sealed record ContainerChange(ChangeKind Kind, string Path, long Size)
{
    public char Letter => Kind switch { ChangeKind.Added => 'A', ChangeKind.Deleted => 'D', _ => 'C' };
}
