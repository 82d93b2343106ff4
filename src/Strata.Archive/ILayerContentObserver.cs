namespace Strata.Archive;

/// <summary>
/// Sees a regular file's content while <see cref="LayerReader"/> streams it (secret scanning in
/// analysis), so a reader of a layer never has to read it twice or buffer it.
/// </summary>
public interface ILayerContentObserver
{
    /// <summary>The next chunk of the file, in order; the span is only valid during the call.</summary>
    void Observe(ReadOnlySpan<byte> chunk);
}
