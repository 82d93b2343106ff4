using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// Reads an OCI image layout directly (a strata store is one, as is skopeo's <c>oci:</c>
/// directory): the root entry a name points at, documents and files of an image's layers,
/// without going through strata, so what the tests check is what other tools see.
/// </summary>
internal sealed class OciLayoutReader(string root)
{
    /// <summary>The descriptor in index.json whose <c>org.opencontainers.image.ref.name</c> is <paramref name="name"/>.</summary>
    public JsonNode Root(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(root, "index.json")))!["manifests"]!.AsArray()
            .Single(m => (string?)m!["annotations"]?["org.opencontainers.image.ref.name"] == name)!;

    public JsonNode Document(string digest) => JsonNode.Parse(Blob(digest))!;

    public byte[] Blob(string digest) => File.ReadAllBytes(Path.Combine(root, "blobs", "sha256", digest["sha256:".Length..]));

    /// <summary>The content of <paramref name="path"/> (no leading slash) in the image, looking through its layers top down.</summary>
    public string ReadFile(string manifestDigest, string path)
    {
        var layers = Document(manifestDigest)["layers"]!.AsArray();
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            var layer = layers[i]!;
            using var blob = new MemoryStream(Blob((string)layer["digest"]!));
            using Stream tar = ((string)layer["mediaType"]!).EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.Name.TrimStart('.', '/') != path || entry.DataStream is null) continue;
                using var text = new StreamReader(entry.DataStream);
                return text.ReadToEnd();
            }
        }
        throw new FileNotFoundException($"{path} is in no layer of {manifestDigest}");
    }
}
