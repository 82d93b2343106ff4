namespace Strata.Build.Leftovers;

/// <summary>What a killed build (or another strata process using the workspace) can leave behind, in the order it is reaped.</summary>
public enum StepLeftoverKind
{
    /// <summary>A step container's state under the runtime's <c>--root</c> (and its cgroups, bundle, and any runtime process still serving it).</summary>
    RuntimeState,

    /// <summary>A mount point under <c>&lt;store&gt;/runtime/mounts</c>: a step's root filesystem, a view, a layer being unpacked.</summary>
    Mount,

    /// <summary>An active or view snapshot: a step's writable layer, a view, a layer being unpacked.</summary>
    Snapshot,

    /// <summary>The process's own directory of mount points under <c>&lt;store&gt;/runtime/mounts</c>.</summary>
    MountDirectory,
}
