namespace Strata.Archive;

/// <summary>Limits and naming for <see cref="LayerApplier"/>. The caps exist so a hostile layer
/// (a gzip bomb, a million-entry archive, a gigabyte PAX header) fails with a clear message
/// instead of filling the disk or the memory.</summary>
public sealed record LayerApplyOptions
{
    /// <summary>Name used in every error (usually the layer's digest). Default "layer".</summary>
    public string LayerName { get; init; } = "layer";

    /// <summary>Most entries (headers of any kind) one layer may hold. Default 10 million.</summary>
    public long MaxEntries { get; init; } = 10_000_000;

    /// <summary>Most uncompressed tar bytes read. Default 512 GiB.</summary>
    public long MaxUncompressedBytes { get; init; } = 512L << 30;

    /// <summary>Largest PAX extended header or GNU long name/link accepted. Default 1 MiB.</summary>
    public int MaxHeaderBytes { get; init; } = 1 << 20;

    /// <summary>Set numeric owners from the tar (lchown). Needs root; default true.</summary>
    public bool ApplyOwners { get; init; } = true;

    /// <summary>When set, the diffID of the tar read must equal this, else
    /// <see cref="Strata.Core.DigestMismatchException"/> after the apply.</summary>
    public Strata.Core.DiffId? ExpectedDiffId { get; init; }

    /// <summary>When set, the blob as given (compressed) must hash to this. Checked at the end of
    /// the stream: apply into a fresh snapshot and discard it when this throws.</summary>
    public Strata.Core.Digest? ExpectedDigest { get; init; }

    /// <summary>When set, the blob must be exactly this many bytes; reading past it fails at once.</summary>
    public long? ExpectedSize { get; init; }
}
