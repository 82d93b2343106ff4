using Strata.Analysis.Interactive;
using static Strata.Analysis.Interactive.ChangeKind;

namespace Strata.Analysis.Tests.Interactive;

/// <summary>The file tree as of a layer, of one layer's changes, folded and filtered, from the analysis walk's changes.</summary>
public sealed class TreeRowsTests : IDisposable
{
    private static readonly HashSet<string> NoneCollapsed = [];
    private readonly TempDir _tempDir = new("strata-explorer-");

    public void Dispose() => _tempDir.Dispose();

    private static (string Path, ChangeKind Kind, long Size, bool Wasted, bool Dir)[] Shape(IReadOnlyList<TreeRow> rows) =>
        [.. rows.Select(r => (r.Path, r.Kind, r.Size, r.Wasted, r.IsDirectory))];

    [Fact]
    public async Task The_image_as_of_a_layer_marks_that_layers_changes_and_the_copies_that_do_not_ship()
    {
        var (analysis, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        Assert.Equal([0L, 6100, 0, 0], analysis.Layers.Select(l => l.WastedBytes));

        Assert.Equal(
            [
                ("/app", Added, 3007L, false, true), ("/app/data", Added, 3000L, true, false), ("/app/keep", Added, 7L, false, false),
                ("/bin", None, 1234L, false, true), ("/bin/busybox", None, 1234L, false, false), ("/bin/sh", None, 0L, false, false),
                ("/etc", Added, 100L, false, true), ("/etc/config", Added, 100L, true, false),
                ("/tmp", Added, 3000L, false, true), ("/tmp/cache", Added, 3000L, false, true),
                ("/tmp/cache/a", Added, 2000L, true, false), ("/tmp/cache/b", Added, 1000L, true, false),
            ],
            Shape(TreeRows.Build(log, new TreeQuery(1), NoneCollapsed)));

        // Layer 2: the rewritten file ships (not wasted), the deleted one still shows, marked removed.
        Assert.Equal(
            [
                ("/app", None, 547L, false, true), ("/app/data", Modified, 500L, false, false), ("/app/keep", None, 7L, false, false), ("/app/log", Added, 40L, false, false),
                ("/bin", None, 1234L, false, true), ("/bin/busybox", None, 1234L, false, false), ("/bin/sh", None, 0L, false, false),
                ("/etc", None, 0L, false, true), ("/etc/config", Removed, 100L, true, false),
                ("/tmp", None, 3000L, false, true), ("/tmp/cache", None, 3000L, false, true),
                ("/tmp/cache/a", None, 2000L, true, false), ("/tmp/cache/b", None, 1000L, true, false),
            ],
            Shape(TreeRows.Build(log, new TreeQuery(2), NoneCollapsed)));

        // Layer 3: what layer 2 deleted is gone; the deleted directory shows with the bytes it removed.
        Assert.Equal(
            [
                ("/app", None, 547L, false, true), ("/app/data", None, 500L, false, false), ("/app/keep", None, 7L, false, false), ("/app/log", None, 40L, false, false),
                ("/bin", None, 1234L, false, true), ("/bin/busybox", None, 1234L, false, false), ("/bin/sh", None, 0L, false, false),
                ("/etc", None, 0L, false, true),
                ("/tmp", None, 0L, false, true), ("/tmp/cache", Removed, 3000L, false, true),
                ("/tmp/cache/a", Removed, 2000L, true, false), ("/tmp/cache/b", Removed, 1000L, true, false),
            ],
            Shape(TreeRows.Build(log, new TreeQuery(3), NoneCollapsed)));
    }

    [Fact]
    public async Task One_layers_changes_only_show_what_it_added_modified_and_removed()
    {
        var (_, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        Assert.Equal(
            [
                ("/app", None, 540L, false, true), ("/app/data", Modified, 500L, false, false), ("/app/log", Added, 40L, false, false),
                ("/etc", None, 0L, false, true), ("/etc/config", Removed, 100L, true, false),
            ],
            Shape(TreeRows.Build(log, new TreeQuery(2, LayerOnly: true), NoneCollapsed)));
        Assert.Equal(
            [("/bin", Added, 1234L, false, true), ("/bin/busybox", Added, 1234L, false, false), ("/bin/sh", Added, 0L, false, false)],
            Shape(TreeRows.Build(log, new TreeQuery(0, LayerOnly: true), NoneCollapsed)));
    }

    [Fact]
    public async Task Wasted_only_and_the_path_filter_keep_the_directories_that_lead_to_matches()
    {
        var (_, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        Assert.Equal(
            ["/app", "/app/data", "/etc", "/etc/config", "/tmp", "/tmp/cache", "/tmp/cache/a", "/tmp/cache/b"],
            TreeRows.Build(log, new TreeQuery(1, WastedOnly: true), NoneCollapsed).Select(r => r.Path));
        Assert.Equal(3000, TreeRows.Build(log, new TreeQuery(1, WastedOnly: true), NoneCollapsed)[0].Size);
        // As of layer 2 the new app/data ships: only what layer 1 left behind for good is wasted.
        Assert.Equal(
            ["/etc", "/etc/config", "/tmp", "/tmp/cache", "/tmp/cache/a", "/tmp/cache/b"],
            TreeRows.Build(log, new TreeQuery(2, WastedOnly: true), NoneCollapsed).Select(r => r.Path));
        Assert.Equal(
            ["/tmp", "/tmp/cache", "/tmp/cache/a", "/tmp/cache/b"],
            TreeRows.Build(log, new TreeQuery(1, Filter: "CACHE"), NoneCollapsed).Select(r => r.Path));
        Assert.Equal(
            ["/bin", "/bin/busybox"],
            TreeRows.Build(log, new TreeQuery(3, Filter: "busy"), NoneCollapsed).Select(r => r.Path));
        Assert.Empty(TreeRows.Build(log, new TreeQuery(3, WastedOnly: true, Filter: "busy"), NoneCollapsed));
    }

    [Fact]
    public async Task A_collapsed_directory_hides_its_rows_but_keeps_its_size()
    {
        var (_, log) = await ExplorerImage.AnalyzeAsync(_tempDir.Path);
        var rows = TreeRows.Build(log, new TreeQuery(1), new HashSet<string>(["/app", "/tmp/cache"]));
        Assert.Equal(
            [("/app", false, 3007L), ("/bin", true, 1234L), ("/bin/busybox", false, 1234L), ("/bin/sh", false, 0L), ("/etc", true, 100L), ("/etc/config", false, 100L), ("/tmp", true, 3000L), ("/tmp/cache", false, 3000L)],
            rows.Select(r => (r.Path, r.Expanded, r.Size)));
    }
}
