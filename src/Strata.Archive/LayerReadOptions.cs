namespace Strata.Archive;

/// <summary>Options of <see cref="LayerReader"/>.</summary>
public sealed record LayerReadOptions
{
    public static LayerReadOptions Default { get; } = new();

    /// <summary>Name used in errors (usually the layer's digest).</summary>
    public string LayerName { get; init; } = "layer";

    /// <summary>sha256 each file's content into <see cref="LayerEntry.ContentDigest"/>. Default false.</summary>
    public bool HashContent { get; init; }

    /// <summary>
    /// Asked once per regular file before its content is read; the observer it returns (null:
    /// none) sees every chunk of that file. Default none.
    /// </summary>
    public Func<LayerEntry, ILayerContentObserver?>? ContentObserver { get; init; }

    /// <summary>Largest PAX or GNU long-name header accepted. Default 1 MiB.</summary>
    public int MaxHeaderBytes { get; init; } = 1 << 20;

    /// <summary>Most headers read. Default 10 million.</summary>
    public long MaxEntries { get; init; } = 10_000_000;
}
