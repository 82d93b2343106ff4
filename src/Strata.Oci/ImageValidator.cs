using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// Checks that a manifest and its config describe one consistent image (go-containerregistry's
/// <c>validate</c> idea): run it after every transform, before anything is written or pushed.
/// Structure only: it does not read layer blobs.
/// </summary>
public static class ImageValidator
{
    /// <summary>Every problem found; empty when the pair is consistent.</summary>
    public static IReadOnlyList<string> Check(ImageManifest manifest, ImageConfig config)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();

        if (manifest.SchemaVersion != 2)
            problems.Add($"manifest schemaVersion is {manifest.SchemaVersion}, want 2.");
        if (manifest.MediaType is not null && !MediaTypes.IsManifest(manifest.MediaType))
            problems.Add($"manifest mediaType \"{manifest.MediaType}\" is not an image manifest type.");

        CheckDescriptor(manifest.Config, "config", problems);
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
            problems.Add($"config mediaType \"{manifest.Config.MediaType}\" is not an image config type.");

        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            CheckDescriptor(layer, $"layers[{i}]", problems);
            if (!MediaTypes.IsLayer(layer.MediaType))
                problems.Add($"layers[{i}] mediaType \"{layer.MediaType}\" is not a known layer type.");
        }
        if (manifest.Subject is { } subject) CheckDescriptor(subject, "subject", problems);

        if (config.RootFs.Type != RootFs.LayersType)
            problems.Add($"config rootfs.type is \"{config.RootFs.Type}\", want \"layers\".");
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
            problems.Add($"config has {config.RootFs.DiffIds.Count} diff IDs but the manifest has {manifest.Layers.Count} layers.");
        foreach (var diffId in config.RootFs.DiffIds)
        {
            if (!diffId.Digest.IsRegistered) problems.Add($"diff ID {diffId} does not use sha256 or sha512.");
        }
        if (config.History is { } history)
        {
            int withLayer = history.Count(h => !h.EmptyLayer);
            if (withLayer != config.RootFs.DiffIds.Count)
                problems.Add($"config history has {withLayer} entries with a layer but rootfs has {config.RootFs.DiffIds.Count} diff IDs.");
        }
        if (config.Config?.Env is { } env)
        {
            foreach (var entry in env.Where(e => !SpecRules.IsEnvEntry(e)))
                problems.Add($"config Env entry \"{entry}\" is not NAME=value.");
        }
        return problems;
    }

    /// <summary>
    /// As <see cref="Check(ImageManifest, ImageConfig)"/>, given the raw config blob: also checks
    /// that the manifest's config descriptor has the blob's size and digest.
    /// </summary>
    public static IReadOnlyList<string> Check(ImageManifest manifest, ReadOnlySpan<byte> configBlob)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        if (manifest.Config.Size != configBlob.Length)
            problems.Add($"config {manifest.Config.Digest} is {configBlob.Length} bytes, the manifest says {manifest.Config.Size}.");
        if (manifest.Config.Digest.Algorithm == Digest.Sha256)
        {
            var actual = Digest.FromSha256Bytes(SHA256.HashData(configBlob));
            if (actual != manifest.Config.Digest)
                problems.Add($"config blob has digest {actual}, the manifest says {manifest.Config.Digest}.");
        }
        var config = OciJson.DeserializeConfig(configBlob, manifest.Config.Digest.Value);
        problems.AddRange(Check(manifest, config));
        return problems;
    }

    /// <summary>Throws <see cref="InvalidArgumentException"/> listing every problem, if any.</summary>
    public static void Validate(ImageManifest manifest, ImageConfig config)
    {
        var problems = Check(manifest, config);
        if (problems.Count > 0)
            throw new InvalidArgumentException($"invalid image {manifest.Config.Digest}: {string.Join(" ", problems)}");
    }

    private static void CheckDescriptor(Descriptor descriptor, string where, List<string> problems)
    {
        if (!descriptor.Digest.IsRegistered) problems.Add($"{where} digest {descriptor.Digest} does not use sha256 or sha512.");
        if (string.IsNullOrEmpty(descriptor.MediaType)) problems.Add($"{where} {descriptor.Digest} has no mediaType.");
        problems.AddRange(SpecRules.Check(descriptor, where));
    }
}
