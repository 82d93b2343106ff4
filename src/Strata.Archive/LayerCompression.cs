namespace Strata.Archive;

/// <summary>How a layer blob is compressed. OCI readers accept all three; gzip is the default for
/// compatibility with every registry and runtime.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
