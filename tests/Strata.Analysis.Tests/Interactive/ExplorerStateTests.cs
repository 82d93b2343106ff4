using Strata.Analysis.Interactive;

namespace Strata.Analysis.Tests.Interactive;

/// <summary>What each key does to the view: moving in the focused pane, folding, the filters, quitting.</summary>
public sealed class ExplorerStateTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-explorer-");

    public void Dispose() => _tempDir.Dispose();

    private async Task<ExplorerState> OpenAsync()
    {
        var (analysis, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        return new ExplorerState(analysis, log);
    }

    private static void Press(ExplorerState state, params object[] keys)
    {
        foreach (var k in keys)
            state.Handle(k switch
            {
                char c => ExplorerKey.Of(c),
                ConsoleKey key => new ExplorerKey(key),
                string s when s == "^C" => new ExplorerKey(ConsoleKey.C, '\u0003', Control: true),
                _ => throw new ArgumentException($"not a key: {k}"),
            });
    }

    [Fact]
    public async Task Up_and_down_move_in_the_focused_pane_and_tab_switches_panes()
    {
        var state = await OpenAsync();
        Assert.Equal((ExplorerPane.Layers, 0, "/bin"), (state.Focus, state.Layer, state.CurrentRow!.Path));
        Press(state, 'j', ConsoleKey.DownArrow);
        Assert.Equal(2, state.Layer);
        // The cursor stays on its path when the layer changes.
        Assert.Equal("/bin", state.CurrentRow!.Path);
        Press(state, ConsoleKey.DownArrow, ConsoleKey.DownArrow);
        Assert.Equal(3, state.Layer);
        Press(state, 'k');
        Assert.Equal(2, state.Layer);

        Press(state, ConsoleKey.Tab, 'j', 'j', 'j');
        Assert.Equal((ExplorerPane.Files, 2, "/etc"), (state.Focus, state.Layer, state.CurrentRow!.Path));
        Press(state, ConsoleKey.UpArrow);
        Assert.Equal("/bin/sh", state.CurrentRow!.Path);
        Press(state, ConsoleKey.End);
        Assert.Equal("/tmp/cache/b", state.CurrentRow!.Path);
        Press(state, ConsoleKey.Tab, 'k');
        Assert.Equal((ExplorerPane.Layers, 1), (state.Focus, state.Layer));
    }

    [Fact]
    public async Task Enter_and_space_fold_a_directory_and_the_cursor_keeps_its_row()
    {
        var state = await OpenAsync();
        Press(state, 'j', ConsoleKey.Tab, ConsoleKey.Home);
        Assert.Equal("/app", state.CurrentRow!.Path);
        Press(state, ConsoleKey.Enter);
        Assert.Equal(["/app", "/bin", "/bin/busybox", "/bin/sh", "/etc", "/etc/config", "/tmp", "/tmp/cache", "/tmp/cache/a", "/tmp/cache/b"], state.Rows.Select(r => r.Path));
        Assert.False(state.Rows[0].Expanded);
        Press(state, ' ');
        Assert.Equal(12, state.Rows.Count);
        Press(state, 'j', ConsoleKey.Enter);
        // A file does not fold.
        Assert.Equal((12, "/app/data"), (state.Rows.Count, state.CurrentRow!.Path));
        Press(state, ConsoleKey.LeftArrow);
        Assert.Equal(12, state.Rows.Count);
    }

    [Fact]
    public async Task W_shows_wasted_files_only_and_slash_filters_paths_as_they_are_typed()
    {
        var state = await OpenAsync();
        Press(state, 'j', 'w');
        Assert.True(state.WastedOnly);
        Assert.Equal(["/app", "/app/data", "/etc", "/etc/config", "/tmp", "/tmp/cache", "/tmp/cache/a", "/tmp/cache/b"], state.Rows.Select(r => r.Path));
        Press(state, '/', 'c', 'o', 'n');
        Assert.True(state.EditingFilter);
        Assert.Equal(["/etc", "/etc/config"], state.Rows.Select(r => r.Path));
        // Keys typed into the filter are text, not commands.
        Press(state, 'q', ConsoleKey.Backspace, ConsoleKey.Enter);
        Assert.Equal((false, false, "con"), (state.EditingFilter, state.Quit, state.Filter));
        Press(state, '/', 'x', ConsoleKey.Escape);
        Assert.Equal((false, "con"), (state.EditingFilter, state.Filter));
        Press(state, 'w');
        Assert.Equal(["/etc", "/etc/config"], state.Rows.Select(r => r.Path));
        Press(state, ConsoleKey.Escape);
        Assert.Equal((string.Empty, 12), (state.Filter, state.Rows.Count));
    }

    [Fact]
    public async Task C_toggles_between_the_image_and_the_layers_changes_only()
    {
        var state = await OpenAsync();
        Press(state, 'j', 'j', 'c');
        Assert.True(state.LayerOnly);
        Assert.Equal(["/app", "/app/data", "/app/log", "/etc", "/etc/config"], state.Rows.Select(r => r.Path));
        Press(state, 'c');
        Assert.Equal(13, state.Rows.Count);
    }

    [Fact]
    public async Task Q_and_ctrl_c_quit()
    {
        var state = await OpenAsync();
        Press(state, 'q');
        Assert.True(state.Quit);
        var other = await OpenAsync();
        Press(other, '/', "^C");
        Assert.True(other.Quit);
    }

    [Fact]
    public async Task The_view_scrolls_to_keep_the_cursor_on_screen()
    {
        var state = await OpenAsync();
        state.Resize(4);
        Press(state, 'j', ConsoleKey.Tab, 'G');
        Assert.Equal((11, 8), (state.FileCursor, state.FileTop));
        Press(state, 'k');
        Assert.Equal((10, 8), (state.FileCursor, state.FileTop));
        Press(state, ConsoleKey.PageUp);
        Assert.Equal((6, 6), (state.FileCursor, state.FileTop));
        Press(state, 'g');
        Assert.Equal((0, 0), (state.FileCursor, state.FileTop));
    }
}
