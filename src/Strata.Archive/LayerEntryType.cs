namespace Strata.Archive;

/// <summary>Kinds of layer entries. Whiteouts are files named <c>.wh.NAME</c> on the wire; they get
/// their own kinds here so callers never parse names.</summary>
public enum LayerEntryType
{
    File,
    Directory,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    /// <summary><c>.wh.NAME</c>: NAME is deleted from lower layers.</summary>
    Whiteout,
    /// <summary><c>.wh..wh..opq</c>: the directory hides all lower contents.</summary>
    OpaqueWhiteout,
    /// <summary>A type Strata does not apply (GNU sparse, volume labels...).</summary>
    Other,
}
