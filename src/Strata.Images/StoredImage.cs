using Strata.Core;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images;

/// <summary>
/// A read-only view of one image in the store: its record, manifest, config (both verified
/// against their digests when read), layers bottom first, and the names pointing at it.
/// </summary>
public sealed record StoredImage(
    ImageRecord Record,
    ImageManifest Manifest,
    ImageConfig Config,
    IReadOnlyList<LayerRecord> Layers,
    IReadOnlyList<ImageReference> Tags)
{
    public Digest Id => Record.Id;

    /// <summary>The descriptor of the image's manifest blob, as index.json lists it.</summary>
    public Descriptor ManifestDescriptor => new(Record.ManifestMediaType, Record.ManifestDigest, Record.ManifestSize);

    /// <summary>Chain IDs of the layer stack, bottom first (the keys of unpacked layers).</summary>
    public IReadOnlyList<ChainId> ChainIds => ChainId.ComputeAll(Config.RootFs.DiffIds);
}
