namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>The verb itself: CI exit codes and breach lines, a gates file, plain text, archives saved by strata, bad input.</summary>
public sealed class AnalyzeCliTests(ChapterStore store) : IClassFixture<ChapterStore>
{
    private const string Bad = "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n";

    [Fact]
    public async Task Ci_gates_from_flags_and_a_dive_ci_file_exit_1_with_one_line_per_breach()
    {
        await store.BuildAndAnalyzeAsync("cli-bad:1", Bad);
        var r = await new StrataCli(store.Root).RunAsync("analyze", "--ci", "--highest-wasted-bytes", "100kB", "cli-bad:1");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("FAIL highest-wasted-bytes: 300 kB (300000 bytes) wasted is above 100 kB", r.Stderr.Trim());
        Assert.Contains("warning deleted-files: 300 kB in 1 file added by layer 1 and deleted by layer 2 still ship in layer 1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("    layer 1: Dockerfile:2: RUN /bin/sh -c mkdir -p", r.Stdout, StringComparison.Ordinal);

        var dir = Path.Combine(store.Work, "ci");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, ".dive-ci"), "rules:\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: 0.05\n");
        var fromFile = await new StrataCli(store.Root).RunAsync(["analyze", "--ci", "cli-bad:1"], new RunOptions { WorkingDirectory = dir });
        Assert.Equal(1, fromFile.ExitCode);
        // Total bytes are the busybox base's plus the 300000 bytes of the apt lists.
        var share = (300_000.0 / (new FileInfo("/bin/busybox").Length + 300_000)).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"FAIL highest-user-wasted-percent: user layers waste {share} of the image (300 kB), above 0.05", fromFile.Stderr.Trim());

        var pass = await new StrataCli(store.Root).RunAsync(["analyze", "--ci", "--highest-user-wasted-percent", "0.5", "cli-bad:1"], new RunOptions { WorkingDirectory = dir });
        Assert.Equal((0, "PASS all CI gates"), (pass.ExitCode, pass.Stderr.Trim()));
    }

    [Fact]
    public async Task An_archive_saved_by_strata_analyzes_like_the_image_in_the_store()
    {
        await store.BuildAndAnalyzeAsync("cli-save:1", Bad);
        var archive = Path.Combine(store.Work, "cli-save.tar");
        (await new StrataCli(store.Root).RunAsync("save", "-o", archive, "cli-save:1")).EnsureSuccess();
        var fromStore = (await new StrataCli(store.Root).RunAsync("analyze", "cli-save:1")).EnsureSuccess().Stdout;
        var fromArchive = (await new StrataCli(store.Root).RunAsync("analyze", archive)).EnsureSuccess().Stdout;
        // The 25+ archive keeps the manifest (and its provenance annotations): only the name differs.
        Assert.Equal(fromStore.Replace("Image:      cli-save:1 ", "", StringComparison.Ordinal), fromArchive.Replace($"Image:      {archive} ", "", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:3", fromArchive, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_images_and_bad_gates_are_one_line_errors()
    {
        var missing = await new StrataCli(store.Root).RunAsync("analyze", "nope:1");
        StrataExit.AssertFailed(missing.ExitCode, missing.ToString());
        Assert.Single(missing.Stderr.Trim().Split('\n'));
        Assert.Contains("nope:1", missing.Stderr, StringComparison.Ordinal);
        var bad = await new StrataCli(store.Root).RunAsync("analyze", "--ci", "--lowest-efficiency", "high", "bb:1");
        Assert.Equal("Error: --lowest-efficiency: \"high\" is not a ratio (like 0.9)", bad.Stderr.Trim());
    }
}
