using System.Globalization;
using System.Text.Json;
using Strata.Analysis.Image;
using Strata.Analysis.Tests.Interactive;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// <c>strata analyze -i</c> driven in a real tmux (160x40): the image of <see cref="ExplorerImage"/>
/// on a real busybox, each step's screen awaited exactly, and after quitting the shell's own
/// screen back (alternate screen left, cursor shown, echo on) with exit status 0.
/// </summary>
public sealed class AnalyzeInteractiveTests : IDisposable
{
    private const int Width = 160, Height = 40, LeftPane = 64;
    private const string LayerHeader = "   #       Size     Wasted  Instruction";
    private const string FileHeader = " C       Size  W  Path";
    private const string Keys = " q quit  Tab pane  j/k move  Enter/Space fold  c layer changes  w wasted only  / filter  Esc clear filter";
    private static readonly long Busybox = new FileInfo("/bin/busybox").Length;
    private readonly TempDir _tempDir = new("strata-analyze-i-");

    public void Dispose() => _tempDir.Dispose();

    private string Root => Path.Combine(_tempDir.Path, "store");

    private string Layout => Path.Combine(_tempDir.Path, "layout");

    private static string B(long bytes) => HumanBytes.Format(bytes);

    /// <summary>A layer row: cursor, index, size, wasted, instruction.</summary>
    private static string L(bool cursor, int index, long size, long wasted) =>
        $"{(cursor ? '>' : ' ')}{index,3} {B(size),10} {B(wasted),10}  {ExplorerImage.Instructions[index]}";

    /// <summary>A file row: cursor, change mark, size, wasted mark, the name as indented and folded.</summary>
    private static string F(bool cursor, char mark, long size, bool wasted, string name) =>
        $"{(cursor ? '>' : ' ')}{mark} {B(size),10}  {(wasted ? 'w' : ' ')}  {name}";

    private static string[] Screen(string title, string layersTitle, string filesTitle, string[] layers, string[] files, string detail, string keys) =>
        Screen(Width, Height, LeftPane, title, layersTitle, filesTitle, layers, files, detail, keys);

    /// <summary>The whole expected screen: panes side by side (each clipped to its width), details and keys below; the last cell is never written.</summary>
    private static string[] Screen(int width, int height, int left, string title, string layersTitle, string filesTitle, string[] layers, string[] files, string detail, string keys)
    {
        static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
        string Row(string layer, string file) => Clip(layer, left).PadRight(left) + "|" + Clip(file, width - left - 1);
        var lines = new List<string> { Clip(title, width), Row(layersTitle, filesTitle), Row(LayerHeader, FileHeader) };
        for (int i = 0; i < height - 5; i++) lines.Add(Row(i < layers.Length ? layers[i] : "", i < files.Length ? files[i] : ""));
        lines.Add(Clip(detail, width));
        lines.Add(Clip(keys, width - 1));
        return [.. lines.Select(l => l.TrimEnd())];
    }

    private async Task<(ImageAnalysis Analysis, string Title)> PrepareAsync()
    {
        ExplorerImage.Craft(await File.ReadAllBytesAsync("/bin/busybox")).WriteLayout(Layout);
        var analysis = JsonSerializer.Deserialize((await new StrataCli(Root).RunAsync("analyze", "--json", Layout)).EnsureSuccess().Stdout, AnalysisJsonContext.Default.ImageAnalysis)!;
        long total = Busybox + 3000 + 7 + 100 + 2000 + 1000 + 500 + 40, shipped = Busybox + 7 + 500 + 40;
        Assert.Equal((total, shipped, 6100L, 6100L), (analysis.TotalBytes, analysis.ShippedBytes, analysis.WastedBytes, analysis.UserWastedBytes));
        var efficiency = (Math.Round((double)shipped / total, 6) * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return (analysis, $" {Layout}  4 layers  {B(total)} in layers, {B(shipped)} shipped  wasted 6.1 kB (user 6.1 kB)  efficiency {efficiency} %");
    }

    /// <summary>The shell script tmux runs: a line before, strata, its exit status and the terminal's echo flag after.</summary>
    private async Task<string> ScriptAsync()
    {
        var command = new StrataCli(Root).Command("analyze", "-i", Layout);
        var script = Path.Combine(_tempDir.Path, "run.sh");
        await File.WriteAllTextAsync(script, string.Join('\n',
            "printf 'before strata\\n'",
            string.Join(' ', command.Select(a => "'" + a + "'")),
            "echo \"strata exited $?\"",
            "stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo",
            // The shell waits for Enter, so the test sees the live pane (a dead one has no cursor).
            "read line",
            ""));
        return "sh " + script;
    }

    private static async Task AssertShellScreenAsync(TmuxSession tmux)
    {
        await tmux.WaitForAnyAsync(screen => screen.Contains("echo"), "strata exits and the shell prints the echo flag");
        // With its history: tmux moves the lines above the cursor to the scrollback when a program
        // leaves the alternate screen. The rest is the shell's normal screen, nothing of the view.
        Assert.Equal(["before strata", "strata exited 0", "echo"], (await tmux.CaptureAsync(history: true)).Where(l => l.Length > 0));
        Assert.Equal("0 1", await tmux.DisplayAsync("#{alternate_on} #{cursor_flag}"));
        await tmux.SendKeysAsync("Enter");
        // strata's own exit status is on the screen above ("strata exited 0"); the shell then ends.
        await tmux.WaitForPaneClosedAsync();
    }

    [Fact]
    public async Task Analyze_i_in_tmux_moves_switches_panes_folds_filters_and_quits_to_the_shells_screen()
    {
        var (analysis, title) = await PrepareAsync();
        string Detail(int layer, string counts) => $" layer {layer}: {analysis.Layers[layer].Digest[..19]}  {counts}  {ExplorerImage.Instructions[layer]}";
        string[] Layers(int selected) => [L(selected == 0, 0, Busybox, 0), L(selected == 1, 1, 6107, 6100), L(selected == 2, 2, 540, 0), L(selected == 3, 3, 0, 0)];
        await using var tmux = await TmuxSession.StartAsync(_tempDir.Path, await ScriptAsync(), Width, Height);

        // Open: the bottom layer selected, its tree.
        await tmux.WaitForScreenAsync(Screen(title, "[Layers]", " Files: layer 0, the image as of it", Layers(0),
            [F(true, '+', Busybox, false, "[-] bin/"), F(false, '+', Busybox, false, "  busybox"), F(false, '+', 0, false, "  sh@")],
            Detail(0, "+2 ~0 -0"), Keys), "open");

        // j: layer 1, the image as of it; the tree's cursor stays on bin/.
        await tmux.SendKeysAsync("j");
        await tmux.WaitForScreenAsync(Screen(title, "[Layers]", " Files: layer 1, the image as of it", Layers(1),
            [
                F(false, '+', 3007, false, "[-] app/"), F(false, '+', 3000, true, "  data"), F(false, '+', 7, false, "  keep"),
                F(true, ' ', Busybox, false, "[-] bin/"), F(false, ' ', Busybox, false, "  busybox"), F(false, ' ', 0, false, "  sh@"),
                F(false, '+', 100, false, "[-] etc/"), F(false, '+', 100, true, "  config"),
                F(false, '+', 3000, false, "[-] tmp/"), F(false, '+', 3000, false, "  [-] cache/"), F(false, '+', 2000, true, "    a"), F(false, '+', 1000, true, "    b"),
            ],
            Detail(1, "+5 ~0 -0"), Keys), "j to layer 1");

        // Down to layer 2, Tab to the tree, c: only layer 2's changes (bin/ is gone: the cursor stays on the fifth row).
        await tmux.SendKeysAsync("Down", "Tab", "c");
        var layer2Changes = new[] { F(false, ' ', 540, false, "[-] app/"), F(false, '~', 500, false, "  data"), F(false, '+', 40, false, "  log") };
        await tmux.WaitForScreenAsync(Screen(title, " Layers", "[Files: layer 2, its changes only]", Layers(2),
            [.. layer2Changes, F(false, ' ', 0, false, "[-] etc/"), F(true, '-', 100, true, "  config")],
            Detail(2, "+1 ~1 -1"), Keys.Replace("c layer changes", "c whole image", StringComparison.Ordinal)), "Down, Tab, c");

        // k, Enter: fold etc/.
        await tmux.SendKeysAsync("k", "Enter");
        await tmux.WaitForScreenAsync(Screen(title, " Layers", "[Files: layer 2, its changes only]", Layers(2),
            [.. layer2Changes, F(true, ' ', 0, false, "[+] etc/")],
            Detail(2, "+1 ~1 -1"), Keys.Replace("c layer changes", "c whole image", StringComparison.Ordinal)), "k, Enter folds etc/");

        // c back to the whole image, w: wasted files only (the folded etc/ holds one).
        await tmux.SendKeysAsync("c", "w");
        string[] wastedTmp = [F(false, ' ', 3000, false, "[-] tmp/"), F(false, ' ', 3000, false, "  [-] cache/"), F(false, ' ', 2000, true, "    a"), F(false, ' ', 1000, true, "    b")];
        await tmux.WaitForScreenAsync(Screen(title, " Layers", "[Files: layer 2, the image as of it, wasted only]", Layers(2),
            [F(true, ' ', 0, false, "[+] etc/"), .. wastedTmp],
            Detail(2, "+1 ~1 -1"), Keys.Replace("w wasted only", "w all files", StringComparison.Ordinal)), "c, w");

        // /cache: the tree follows the typing; Enter keeps the filter.
        await tmux.SendKeysAsync("/");
        await tmux.TypeAsync("cache");
        wastedTmp[0] = ">" + wastedTmp[0][1..];
        await tmux.WaitForScreenAsync(Screen(title, " Layers", "[Files: layer 2, the image as of it, wasted only, paths with \"cache\"]", Layers(2),
            wastedTmp, Detail(2, "+1 ~1 -1"), " filter paths: cache_   (Enter keeps it, Esc cancels)"), "/cache typed");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForScreenAsync(Screen(title, " Layers", "[Files: layer 2, the image as of it, wasted only, paths with \"cache\"]", Layers(2),
            wastedTmp, Detail(2, "+1 ~1 -1"), Keys.Replace("w wasted only", "w all files", StringComparison.Ordinal)), "Enter keeps the filter");

        // A smaller terminal: the view is drawn again for its size (the layer pane takes 2/5).
        await tmux.ResizeAsync(100, 12);
        await tmux.WaitForScreenAsync(Screen(100, 12, 40, title, " Layers", "[Files: layer 2, the image as of it, wasted only, paths with \"cache\"]", Layers(2),
            wastedTmp, Detail(2, "+1 ~1 -1"), Keys.Replace("w wasted only", "w all files", StringComparison.Ordinal)), "resized to 100x12");

        await tmux.SendKeysAsync("q");
        await AssertShellScreenAsync(tmux);
    }

    [Fact]
    public async Task Ctrl_c_quits_analyze_i_and_gives_the_terminal_back()
    {
        await PrepareAsync();
        await using var tmux = await TmuxSession.StartAsync(_tempDir.Path, await ScriptAsync(), Width, Height);
        await tmux.WaitForAnyAsync(screen => screen.Length > 1 && screen[1].StartsWith("[Layers]", StringComparison.Ordinal), "open");
        await tmux.SendKeysAsync("C-c");
        await AssertShellScreenAsync(tmux);
    }

    [Fact]
    public async Task Analyze_i_without_a_terminal_or_with_json_is_a_one_line_error()
    {
        ExplorerImage.Craft(await File.ReadAllBytesAsync("/bin/busybox")).WriteLayout(Layout);
        var r = await new StrataCli(Root).RunAsync("analyze", "-i", Layout);
        Assert.Equal((1, "", "Error: analyze -i needs a terminal: standard input and output must be a TTY\n"), (r.ExitCode, r.Stdout, r.Stderr));
        var both = await new StrataCli(Root).RunAsync("analyze", "-i", "--json", Layout);
        Assert.Equal((2, "Error: analyze: -i cannot be combined with --json, --format, --html or --ci\n"), (both.ExitCode, both.Stderr));
    }
}
