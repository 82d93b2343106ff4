using Strata.Analysis.Image;
using Strata.Analysis.Interactive;
using Strata.Analysis.Tests.Image;
using Strata.Images.Transfer;
using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Interactive;

/// <summary>
/// The image the interactive view is tested on, wasted bytes known by hand:
/// layer 0 a busybox root (bin/busybox, bin/sh -> busybox); layer 1 adds app/data (3000),
/// app/keep (7), etc/config (100), tmp/cache/a (2000) and tmp/cache/b (1000); layer 2 rewrites
/// app/data (500), adds app/log (40) and deletes etc/config; layer 3 deletes tmp/cache.
/// Wasted: 6100 bytes, all of layer 1 (3000 + 100 + 2000 + 1000).
/// </summary>
internal static class ExplorerImage
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    public static readonly string[] Instructions = ["ADD rootfs /", "RUN make app", "RUN tweak", "RUN rm -rf /tmp/cache"];

    public static CraftedImage Craft(byte[] busybox) => new CraftedImage()
        .Layer(Instructions[0], w => { Dir(w, "bin"); File(w, "bin/busybox", busybox, Executable); Symlink(w, "bin/sh", "busybox"); })
        .Layer(Instructions[1], w =>
        {
            Dir(w, "app"); File(w, "app/data", 3000); File(w, "app/keep", 7);
            Dir(w, "etc"); File(w, "etc/config", 100);
            Dir(w, "tmp"); Dir(w, "tmp/cache"); File(w, "tmp/cache/a", 2000); File(w, "tmp/cache/b", 1000);
        })
        .Layer(Instructions[2], w => { File(w, "app/data", 500, (byte)'n'); File(w, "app/log", 40); Whiteout(w, "etc/config"); })
        .Layer(Instructions[3], w => Whiteout(w, "tmp/cache"));

    /// <summary>The analysis of the image (with a 1234-byte stand-in for busybox) and the changes its walk reported.</summary>
    public static async Task<(ImageAnalysis Analysis, ChangeLog Log)> AnalyzeAsync(string dir)
    {
        var root = Path.Combine(dir, "layout");
        var manifest = Craft(Enumerable.Repeat((byte)'b', 1234).ToArray()).WriteLayout(root);
        var log = new ChangeLog();
        await using var source = new OciLayoutSource(root, "layout", 1 << 20);
        var analysis = await ImageAnalyzer.AnalyzeAsync(source, manifest, "explorer:1", ImageAnalysisOptions.Default with { Changes = log }, CancellationToken.None);
        return (analysis, log);
    }
}
