using Strata.Analysis.Interactive;

namespace Strata.Analysis.Tests.Interactive;

/// <summary>The frame drawn from the state: the panes side by side, their rows, the cursor rows' styles, the keys line.</summary>
public sealed class ExplorerScreenTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-explorer-");

    public void Dispose() => _tempDir.Dispose();

    private static string[] Lines(ScreenBuffer screen) => [.. Enumerable.Range(0, screen.Height).Select(screen.Line)];

    [Fact]
    public async Task The_layer_list_stands_beside_the_selected_layers_file_tree()
    {
        var (analysis, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        var state = new ExplorerState(analysis, log);
        state.Handle(ExplorerKey.Of('j'));
        var screen = ExplorerScreen.Draw(state, 100, 12);
        // 100 columns: the layer pane takes 40, then the separator, then the tree.
        // Sizes by hand: 1234 + 6107 + 540 bytes in layers; 1234 + 7 + 500 + 40 shipped; 6100 wasted, all of layer 1.
        Assert.Equal(
            [
                " explorer:1  4 layers  7.88 kB in layers, 1.78 kB shipped  wasted 6.1 kB (user 6.1 kB)  efficiency 2",
                "[Layers]                                | Files: layer 1, the image as of it",
                "   #       Size     Wasted  Instruction | C       Size  W  Path",
                "   0    1.23 kB        0 B  ADD rootfs /| +    3.01 kB     [-] app/",
                ">  1    6.11 kB     6.1 kB  RUN make app| +       3 kB  w    data",
                "   2      540 B        0 B  RUN tweak   | +        7 B       keep",
                "   3        0 B        0 B  RUN rm -rf /|>     1.23 kB     [-] bin/",
                "                                        |      1.23 kB       busybox",
                "                                        |          0 B       sh@",
                "                                        | +      100 B     [-] etc/",
                " layer 1: sha256:" + analysis.Layers[1].Digest[7..19] + "  +5 ~0 -0  RUN make app",
                " q quit  Tab pane  j/k move  Enter/Space fold  c layer changes  w wasted only  / filter  Esc clear f",
            ],
            Lines(screen));
        // The selected layer is the focused pane's cursor row; the tree's cursor is underlined.
        Assert.All(screen.Styles(4)[..40].ToArray(), s => Assert.Equal(CellStyle.Cursor, s));
        Assert.All(screen.Styles(6)[41..].ToArray(), s => Assert.Equal(CellStyle.CursorInactive, s));
        Assert.Equal(CellStyle.Added, screen.Styles(3)[42]);
    }

    [Fact]
    public async Task The_filter_being_typed_shows_on_the_keys_line_and_a_small_terminal_gets_a_message()
    {
        var (analysis, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        var state = new ExplorerState(analysis, log);
        foreach (var c in "/zzz") state.Handle(ExplorerKey.Of(c));
        var lines = Lines(ExplorerScreen.Draw(state, 100, 10));
        Assert.Equal(" filter paths: zzz_   (Enter keeps it, Esc cancels)", lines[9]);
        Assert.Equal("[Layers]                                | Files: layer 0, the image as of it, paths with \"zzz\"", lines[1]);
        Assert.Equal(">  0    1.23 kB        0 B  ADD rootfs /|  (no files to show)", lines[3]);
        Assert.Equal(["terminal too small (59x20, needs 60x8); q quits"], Lines(ExplorerScreen.Draw(state, 59, 20)).Where(l => l.Length > 0));
    }
}
