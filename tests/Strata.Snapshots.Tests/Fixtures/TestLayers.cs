using Strata.Archive;
using Strata.Core.Unix;

namespace Strata.Snapshots.Tests.Fixtures;

/// <summary>
/// The composition the build room will make: <see cref="SnapshotLayers"/> with the tar applier
/// of Strata.Archive, and layer tars made from scratch trees.
/// </summary>
internal static class TestLayers
{
    public static Task ApplyTarAsync(ISnapshotter snapshotter, string name, string? parent, byte[] tar, string mountDirectory) =>
        SnapshotLayers.ApplyAsync(snapshotter, name, parent,
            (target, ct) => LayerApplier.ApplyAsync(new MemoryStream(tar), target, new LayerApplyOptions { LayerName = name }, ct),
            mountDirectory, CancellationToken.None);

    /// <summary>
    /// A layer tar of <paramref name="build"/>'s tree, read as an overlay upper directory so the
    /// tree can express deletions (<see cref="Whiteout"/>) and opaque directories.
    /// </summary>
    public static async Task<byte[]> TarAsync(SnapshotRoot root, Action<string> build)
    {
        string dir = root.NewDirectory("layer-" + Guid.NewGuid().ToString("N")[..8]);
        build(dir);
        using var tar = new MemoryStream();
        await LayerWriter.WriteOverlayUpperAsync(dir, tar, new LayerWriteOptions { Compression = LayerCompression.None }, CancellationToken.None);
        return tar.ToArray();
    }

    public static void Whiteout(string root, string relative) =>
        Libc.Mknod(Path.Combine(root, relative), FileStatus.CharDevice, 0, 0);

    public static void Opaque(string root, string relative)
    {
        Directory.CreateDirectory(Path.Combine(root, relative));
        Libc.Lsetxattr(Path.Combine(root, relative), "trusted.overlay.opaque", "y"u8);
    }
}
