namespace Strata.Build.Context;

/// <summary>What a <c>--build-context</c> value names.</summary>
public enum NamedContextKind
{
    /// <summary>A local directory: its files (less its own .dockerignore), owned by root, as a scratch-like root filesystem.</summary>
    Directory,

    /// <summary><c>docker-image://REF</c>: an image in the store, with its config, as <c>FROM REF</c> would give.</summary>
    Image,

    /// <summary><c>oci-layout://PATH[:TAG|@DIGEST]</c>: an image in an OCI layout directory, copied into the store (untagged) before the build.</summary>
    OciLayout,

    /// <summary>A git URL (<c>git@</c>, <c>git://</c>, or http(s) ending in <c>.git</c>, with <c>#REF[:SUBDIR]</c>): the commit's tree, checked out before the build and then read like a directory, but without .dockerignore (as BuildKit).</summary>
    Git,
}
