using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// Writes an OCI image layout directory by hand (what skopeo then copies into the registry):
/// one gzip layer per image holding the files given (and optionally the static busybox as
/// /bin/busybox with /bin/sh), a config for a platform, a manifest, and for several platforms an
/// index. The digests it returns are what the registry must serve.
/// </summary>
public sealed class OciLayoutBuilder
{
    private readonly string _root;

    public OciLayoutBuilder(string root)
    {
        _root = root;
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(_root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public sealed record Built(string ManifestDigest, string ConfigDigest, long ManifestSize, IReadOnlyList<string> LayerDigests);

    /// <summary>An image of <paramref name="layers"/> (each a file set) for <paramref name="architecture"/>.</summary>
    public Built Image(string architecture, IReadOnlyList<IReadOnlyDictionary<string, string>> layers, bool busybox = false, string? cmd = null)
    {
        var layerDescriptors = new JsonArray();
        var diffIds = new JsonArray();
        var layerDigests = new List<string>();
        for (int i = 0; i < layers.Count; i++)
        {
            var (tar, gz) = Layer(layers[i], busybox && i == 0);
            diffIds.Add((JsonNode?)JsonValue.Create("sha256:" + Hex(tar)));
            var digest = WriteBlob(gz);
            layerDigests.Add(digest);
            layerDescriptors.Add((JsonNode)new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = digest, ["size"] = gz.Length });
        }
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/bin"), ["Cmd"] = cmd is null ? null : new JsonArray("/bin/sh", "-c", cmd) },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["history"] = new JsonArray(layers.Select(_ => (JsonNode)new JsonObject { ["created_by"] = "test layer" }).ToArray()),
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = WriteBlob(configBytes);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
            ["layers"] = layerDescriptors,
        };
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return new Built(WriteBlob(manifestBytes), configDigest, manifestBytes.Length, layerDigests);
    }

    /// <summary>An index of <paramref name="images"/>, each with its architecture; returns its digest and size.</summary>
    public (string Digest, long Size) Index(IReadOnlyList<(Built Image, string Architecture)> images)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(images.Select(i => (JsonNode)new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = i.Image.ManifestDigest,
                ["size"] = i.Image.ManifestSize,
                ["platform"] = new JsonObject { ["architecture"] = i.Architecture, ["os"] = "linux" },
            }).ToArray()),
        };
        var bytes = Encoding.UTF8.GetBytes(index.ToJsonString());
        return (WriteBlob(bytes), bytes.Length);
    }

    /// <summary>Writes index.json naming <paramref name="digest"/> as <paramref name="tag"/>.</summary>
    public void Tag(string tag, string mediaType, string digest, long size)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = mediaType,
                ["digest"] = digest,
                ["size"] = size,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag },
            }),
        };
        File.WriteAllText(Path.Combine(_root, "index.json"), index.ToJsonString());
    }

    private static (byte[] Tar, byte[] Gz) Layer(IReadOnlyDictionary<string, string> files, bool busybox)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var stamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            if (busybox)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { ModificationTime = stamp, Mode = (UnixFileMode)0b111_101_101 });
                var bin = File.ReadAllBytes(Tool.Busybox);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { ModificationTime = stamp, Mode = (UnixFileMode)0b111_101_101, DataStream = new MemoryStream(bin) });
                foreach (var applet in new[] { "sh", "cat", "echo" })
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { ModificationTime = stamp, LinkName = "busybox", Mode = (UnixFileMode)0b111_111_111 });
            }
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { ModificationTime = stamp, Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
        var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(tar.ToArray());
        return (tar.ToArray(), gz.ToArray());
    }

    private string WriteBlob(byte[] bytes)
    {
        var hex = Hex(bytes);
        File.WriteAllBytes(Path.Combine(_root, "blobs", "sha256", hex), bytes);
        return "sha256:" + hex;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
