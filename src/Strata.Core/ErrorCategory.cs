namespace Strata.Core;

/// <summary>Kinds of failure callers branch on (after containerd's errdefs).</summary>
public enum ErrorCategory
{
    /// <summary>Anything not covered by a more specific category.</summary>
    Failed,
    /// <summary>The named object does not exist.</summary>
    NotFound,
    /// <summary>The object already exists and the operation does not allow that.</summary>
    AlreadyExists,
    /// <summary>The input is malformed or violates a rule (bad reference, bad archive, bad flag).</summary>
    InvalidArgument,
    /// <summary>The store's state does not allow the operation (image in use, lock held).</summary>
    FailedPrecondition,
    /// <summary>Content does not match the digest or size it was promised to have.</summary>
    DataCorrupt,
}
