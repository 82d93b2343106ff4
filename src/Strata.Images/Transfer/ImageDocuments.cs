using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// An image's manifest and config as bytes and as values, validated: the manifest is
/// unambiguous (<see cref="DocumentKind"/>) and it and the config describe one consistent image
/// (<see cref="ImageValidator"/>). Only <see cref="Parse"/> makes one, so a sink that takes an
/// <see cref="ImageDocuments"/> never accepts an unvalidated image.
/// </summary>
public sealed record ImageDocuments
{
    private ImageDocuments(Descriptor manifestDescriptor, byte[] manifestBytes, ImageManifest manifest, byte[] configBytes, ImageConfig config)
    {
        ManifestDescriptor = manifestDescriptor;
        ManifestBytes = manifestBytes;
        Manifest = manifest;
        ConfigBytes = configBytes;
        Config = config;
    }

    public Descriptor ManifestDescriptor { get; }

    public byte[] ManifestBytes { get; }

    public ImageManifest Manifest { get; }

    public byte[] ConfigBytes { get; }

    public ImageConfig Config { get; }

    /// <summary>The manifest's config digest: the image ID.</summary>
    public Digest Id => Manifest.Config.Digest;

    /// <summary>Parses and validates the manifest (its bytes must be the descriptor's) and its config.</summary>
    /// <param name="where">What errors name first (the archive, the flag).</param>
    /// <exception cref="InvalidArgumentException">An ambiguous or inconsistent document, in one line naming it.</exception>
    public static ImageDocuments Parse(Descriptor manifestDescriptor, byte[] manifestBytes, byte[] configBytes, string where)
    {
        ArgumentNullException.ThrowIfNull(manifestDescriptor);
        ArgumentNullException.ThrowIfNull(manifestBytes);
        ArgumentNullException.ThrowIfNull(configBytes);
        if (!MediaTypes.IsManifest(manifestDescriptor.MediaType))
            throw new InvalidArgumentException($"{where}: {manifestDescriptor.Digest} is a {manifestDescriptor.MediaType}, not an image manifest");
        var manifest = ParseManifest(manifestDescriptor, manifestBytes, where);
        var config = OciJson.DeserializeConfig(configBytes, $"{where}: config {manifest.Config.Digest}");
        var problems = ImageValidator.Check(manifest, configBytes);
        if (problems.Count > 0)
            throw new InvalidArgumentException($"{where}: manifest {manifestDescriptor.Digest} is invalid: {string.Join(" ", problems)}");
        return new ImageDocuments(manifestDescriptor, manifestBytes, manifest, configBytes, config);
    }

    /// <summary>A manifest read as its descriptor says, refused when ambiguous (before its config is fetched).</summary>
    public static ImageManifest ParseManifest(Descriptor manifestDescriptor, ReadOnlySpan<byte> manifestBytes, string where)
    {
        ArgumentNullException.ThrowIfNull(manifestDescriptor);
        DocumentKind.Validate(manifestDescriptor, manifestBytes, where);
        return OciJson.DeserializeManifest(manifestBytes, $"{where}: manifest {manifestDescriptor.Digest}");
    }

    /// <summary>An index read as its descriptor says, refused when ambiguous.</summary>
    public static ImageIndex ParseIndex(Descriptor indexDescriptor, ReadOnlySpan<byte> indexBytes, string where)
    {
        ArgumentNullException.ThrowIfNull(indexDescriptor);
        DocumentKind.Validate(indexDescriptor, indexBytes, where);
        return OciJson.DeserializeIndex(indexBytes, $"{where}: index {indexDescriptor.Digest}");
    }
}
