using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>
/// A two-platform OCI archive made by hand: linux/amd64 is the busybox image strata imported
/// (its blobs taken from <c>strata save</c>), linux/arm64/v8 a tiny image of one file (it need
/// not run). index.json names the index <c>multi:1</c>, as docker 25+ and skopeo write it.
/// </summary>
internal sealed record MultiPlatformArchive(string Path, string IndexDigest, string IndexJson, string AmdManifest, string AmdConfig, string ArmManifest, string ArmConfig, string ArmLayer, long ArmLayerSize)
{
    public static async Task<MultiPlatformArchive> MakeAsync(Workspace ws)
    {
        await ws.ImportBusyboxAsync("src:amd64");
        var saved = ws.Scratch.PathOf("amd64.tar");
        await ws.Strata.OkAsync("save", "-o", saved, "src:amd64");
        var layout = ws.Scratch.NewDir("multi");
        await Tools.OkAsync(Tools.Tar, "-C", layout, "-xf", saved, "blobs");
        var amdIndex = JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", saved, "index.json"))!["manifests"]![0]!;
        string amdManifest = amdIndex["digest"]!.GetValue<string>();
        long amdSize = amdIndex["size"]!.GetValue<long>();
        var amdConfig = JsonNode.Parse(await File.ReadAllTextAsync(Blob(layout, amdManifest)))!["config"]!["digest"]!.GetValue<string>();

        var layer = MakeArmLayer();
        string armLayer = await WriteBlobAsync(layout, layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"arm64","os":"linux","variant":"v8","config":{"Cmd":["/hello"]},"rootfs":{"type":"layers","diff_ids":["{{{armLayer}}}"]}}""");
        string armConfig = await WriteBlobAsync(layout, config);
        var manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{armConfig}}}","size":{{{config.Length}}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{armLayer}}}","size":{{{layer.Length}}}}]}""");
        string armManifest = await WriteBlobAsync(layout, manifest);
        var index = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{amdManifest}}}","size":{{{amdSize}}},"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{armManifest}}}","size":{{{manifest.Length}}},"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}""";
        var indexBytes = Encoding.UTF8.GetBytes(index);
        string indexDigest = await WriteBlobAsync(layout, indexBytes);
        await File.WriteAllTextAsync(System.IO.Path.Combine(layout, "index.json"),
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{indexDigest}}}","size":{{{indexBytes.Length}}},"annotations":{"io.containerd.image.name":"docker.io/library/multi:1","org.opencontainers.image.ref.name":"1"}}]}""");
        await File.WriteAllTextAsync(System.IO.Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var archive = ws.Scratch.PathOf("multi.tar");
        await Tools.OkAsync(Tools.Tar, "-C", layout, "-cf", archive, "oci-layout", "index.json", "blobs");
        return new MultiPlatformArchive(archive, indexDigest, index, amdManifest, amdConfig, armManifest, armConfig, armLayer, layer.Length);
    }

    public static string Blob(string layout, string digest) => System.IO.Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private static async Task<string> WriteBlobAsync(string layout, byte[] bytes)
    {
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(System.IO.Path.Combine(layout, "blobs", "sha256"));
        await File.WriteAllBytesAsync(Blob(layout, digest), bytes);
        return digest;
    }

    /// <summary>One file, /hello, in an uncompressed tar with fixed metadata (the same bytes every run).</summary>
    private static byte[] MakeArmLayer()
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "hello")
            {
                DataStream = new MemoryStream(Encoding.ASCII.GetBytes("hello from arm64\n")),
                Mode = (UnixFileMode)0b111_101_101,
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            tar.WriteEntry(entry);
        }
        return buffer.ToArray();
    }
}
