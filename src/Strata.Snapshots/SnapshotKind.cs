namespace Strata.Snapshots;

/// <summary>The state of a snapshot (containerd's Kind).</summary>
public enum SnapshotKind
{
    /// <summary>Writable, addressed by its key; becomes <see cref="Committed"/> through commit.</summary>
    Active,

    /// <summary>Read-only, addressed by its key; can never be committed, only removed.</summary>
    View,

    /// <summary>Immutable, addressed by its name; the only kind that can be a parent.</summary>
    Committed,
}
