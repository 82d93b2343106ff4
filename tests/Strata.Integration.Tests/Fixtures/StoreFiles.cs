using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>Reads a store (an OCI image layout) and layer blobs directly, to check the CLI's
/// answers against the bytes on disk.</summary>
public static class StoreFiles
{
    public static string BlobPath(string storeRoot, string digest) => Path.Combine(storeRoot, "blobs", "sha256", digest["sha256:".Length..]);

    /// <summary>The layer digests (compressed blobs) of the manifest stored under <paramref name="manifestDigest"/>.</summary>
    public static IReadOnlyList<string> LayerDigests(string storeRoot, string manifestDigest)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(BlobPath(storeRoot, manifestDigest)))!;
        return [.. manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>())];
    }

    /// <summary>sha256 of the decompressed (gzip) layer: its diff ID, computed without Strata.</summary>
    public static string DiffIdOfGzipLayer(string blobPath)
    {
        using var file = File.OpenRead(blobPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(gzip));
    }

    public static string Sha256OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static IReadOnlyList<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
