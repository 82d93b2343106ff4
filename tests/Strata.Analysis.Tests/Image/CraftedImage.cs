using System.Formats.Tar;
using System.Text;
using Strata.Core;
using Strata.Oci;

namespace Strata.Analysis.Tests.Image;

/// <summary>
/// Writes an OCI layout holding one image made of layers described in the test (files with
/// content and mode, directories, whiteouts, opaque markers), each with its history line.
/// </summary>
internal sealed class CraftedImage
{
    private readonly List<(byte[] Tar, string CreatedBy)> _layers = [];

    public CraftedImage Layer(string createdBy, Action<TarWriter> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true)) entries(writer);
        _layers.Add((buffer.ToArray(), createdBy));
        return this;
    }

    public static void File(TarWriter w, string path, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0)
    {
        var e = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content), Mode = mode, Uid = uid, ModificationTime = DateTimeOffset.UnixEpoch };
        w.WriteEntry(e);
    }

    public static void File(TarWriter w, string path, int size, byte fill = (byte)'x', UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0) =>
        File(w, path, Enumerable.Repeat(fill, size).ToArray(), mode, uid);

    public static void Text(TarWriter w, string path, string text) => File(w, path, Encoding.UTF8.GetBytes(text));

    public static void Dir(TarWriter w, string path) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch });

    public static void Symlink(TarWriter w, string path, string target) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target, Mode = (UnixFileMode)0b111_111_111, ModificationTime = DateTimeOffset.UnixEpoch });

    public static void Whiteout(TarWriter w, string path)
    {
        int slash = path.LastIndexOf('/');
        File(w, slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], []);
    }

    public static void Opaque(TarWriter w, string dir) => File(w, dir + "/.wh..wh..opq", []);

    /// <summary>Writes the layout under <paramref name="root"/> and returns the manifest's descriptor.</summary>
    public Descriptor WriteLayout(string root, IReadOnlyDictionary<string, string>? annotations = null, IReadOnlyList<string>? env = null)
    {
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        System.IO.File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var layers = new List<Descriptor>();
        foreach (var (tar, _) in _layers) layers.Add(Blob(root, MediaTypes.OciLayer, tar));
        var config = new ImageConfig(Platform.Host.Architecture, "linux", new RootFs([.. layers.Select(l => new DiffId(l.Digest))]))
        {
            Config = new ContainerConfig { Env = env },
            History = [.. _layers.Select(l => new HistoryEntry { CreatedBy = l.CreatedBy })],
        };
        var configDescriptor = Blob(root, MediaTypes.OciConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest(configDescriptor, layers) { MediaType = MediaTypes.OciManifest, Annotations = annotations };
        var manifestDescriptor = Blob(root, MediaTypes.OciManifest, OciJson.Serialize(manifest));
        var index = new ImageIndex([manifestDescriptor]) { MediaType = MediaTypes.OciIndex };
        System.IO.File.WriteAllBytes(Path.Combine(root, "index.json"), OciJson.Serialize(index));
        return manifestDescriptor;
    }

    private static Descriptor Blob(string root, string mediaType, byte[] bytes)
    {
        var digest = Digest.Compute(bytes);
        System.IO.File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", digest.Encoded), bytes);
        return new Descriptor(mediaType, digest, bytes.Length);
    }
}
