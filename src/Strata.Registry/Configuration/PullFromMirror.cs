namespace Strata.Registry.Configuration;

/// <summary>Which references a mirror serves (registries.conf <c>pull-from-mirror</c>).</summary>
public enum PullFromMirror
{
    /// <summary><c>all</c> (the default): tags and digests.</summary>
    All,

    /// <summary><c>digest-only</c>: only <c>name@sha256:...</c> references, whose content cannot differ between mirror and origin.</summary>
    DigestOnly,

    /// <summary><c>tag-only</c>: only references by tag.</summary>
    TagOnly,
}
