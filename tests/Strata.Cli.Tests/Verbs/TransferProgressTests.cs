using System.Formats.Tar;
using System.Text.Json;
using Strata.Cli.Formatting;
using Strata.Testing;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// Long operations on a real terminal (a tmux server of its own): load, import, save, export and
/// commit draw a bar per item with its bytes (docker's <c>1.2MB/5.874MB</c>), full at the end, and
/// a big COPY shows the bytes it copied on its step's line in the live build view. The same
/// commands piped print exactly what they printed before the bars. Tests wait on the command's end
/// (<c>tmux wait-for</c>), never on a clock. Needs root, runc and tmux.
/// </summary>
public sealed class TransferProgressTests : IDisposable
{
    private const int BigFile = 3_000_000;
    private readonly TempDir _work = new("strata-bars-");

    public void Dispose() => _work.Dispose();

    private string Store => _work.PathOf("store");

    private string PathOf(string name) => _work.PathOf(name);

    /// <summary>A busybox root filesystem with a 3,000,000-byte file (so the bars have something to count).</summary>
    private string Rootfs()
    {
        var rootfs = PathOf("rootfs");
        if (Directory.Exists(rootfs)) return rootfs;
        BusyboxRootfs.Minimal.Create(rootfs);
        File.WriteAllBytes(Path.Combine(rootfs, "big"), new byte[BigFile]);
        return rootfs;
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await StrataCli.WithoutStore.RunAsync(["--root", Store, .. args]);
        Assert.True(r.ExitCode == 0, $"strata {string.Join(' ', args)} failed: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>The screen line that starts with <paramref name="words"/>: a full bar, 100%, and <paramref name="bytes"/> of <paramref name="bytes"/>.</summary>
    private static void AssertFullBar(string screen, string words, long bytes)
    {
        var line = Assert.Single(screen.Split('\n'), l => l.StartsWith(words + " ", StringComparison.Ordinal));
        Assert.Contains("━━━", line, StringComparison.Ordinal);
        var size = System.Text.RegularExpressions.Regex.Escape(HumanUnits.HumanSize(bytes));
        Assert.Matches($@" 100% +{size}/{size}$", line);
    }

    /// <summary>Each layer blob an archive's images name (digest and size), read from its index and manifests.</summary>
    private static List<(string Digest, long Size)> ArchiveLayers(string archive)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(File.OpenRead(archive)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null || entry.Length > 1 << 20) continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                members[entry.Name] = copy.ToArray();
            }
        }
        var layers = new List<(string, long)>();
        using var index = JsonDocument.Parse(members["index.json"]);
        foreach (var m in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            using var manifest = JsonDocument.Parse(members["blobs/sha256/" + m.GetProperty("digest").GetString()![7..]]);
            foreach (var l in manifest.RootElement.GetProperty("layers").EnumerateArray())
                layers.Add((l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64()));
        }
        return layers;
    }

    /// <summary>docker's SIZE of a tar's content: regular file bytes and symlink target lengths.</summary>
    private static long ContentOf(string tar)
    {
        long total = 0;
        using var reader = new TarReader(File.OpenRead(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile) total += entry.Length;
            else if (entry.EntryType == TarEntryType.SymbolicLink) total += entry.LinkName.Length;
        }
        return total;
    }

    [Fact]
    public async Task Import_of_a_tar_on_a_terminal_shows_the_bytes_read_and_the_layer_written_then_the_ID()
    {
        var tar = PathOf("rootfs.tar");
        await TarFile.CreateFromDirectoryAsync(Rootfs(), tar, includeBaseDirectory: false);

        var (screen, exit) = await OnTerminalAsync([Strata, "--root", Store, "import", tar, "bb:1"]);

        Assert.True(exit == 0, screen);
        AssertFullBar(screen, $"Importing {tar}", new FileInfo(tar).Length);
        AssertFullBar(screen, "Writing layer", new FileInfo("/bin/busybox").Length + "busybox".Length + BigFile);
        var id = (await OkAsync("inspect", "--format", "{{.Id}}", "bb:1")).Trim();
        Assert.Equal(id, screen.TrimEnd('\n').Split('\n')[^1]);

        // Piped: the new image's ID alone, as before.
        var piped = await StrataCli.WithoutStore.RunAsync("--root", Store, "import", tar, "bb:2");
        Assert.Equal((0, (await OkAsync("inspect", "--format", "{{.Id}}", "bb:2")).Trim() + "\n", ""), (piped.ExitCode, piped.Stdout, piped.Stderr));
    }

    [Fact]
    public async Task Save_and_load_on_a_terminal_draw_a_bar_per_layer_and_piped_print_what_they_did()
    {
        await OkAsync("import", Rootfs(), "bb:1");
        var archive = PathOf("bb.tar");

        var (saved, saveExit) = await OnTerminalAsync([Strata, "--root", Store, "save", "-o", archive, "bb:1"]);

        Assert.True(saveExit == 0, saved);
        var layer = Assert.Single(ArchiveLayers(archive));
        AssertFullBar(saved, $"{layer.Digest[7..19]}: Saving layer", layer.Size);

        // To stdout (the archive), the bars go to the terminal on stderr.
        var (toStdout, stdoutExit) = await OnTerminalAsync(["/bin/sh", "-c", $"'{Strata}' --root '{Store}' save bb:1 > '{PathOf("stdout.tar")}'"]);
        Assert.True(stdoutExit == 0, toStdout);
        AssertFullBar(toStdout, $"{layer.Digest[7..19]}: Saving layer", layer.Size);
        Assert.Equal(await File.ReadAllBytesAsync(archive), await File.ReadAllBytesAsync(PathOf("stdout.tar")));

        var loadStore = PathOf("loaded");
        var (loaded, loadExit) = await OnTerminalAsync([Strata, "--root", loadStore, "load", "-i", archive]);

        Assert.True(loadExit == 0, loaded);
        AssertFullBar(loaded, $"{layer.Digest[7..19]}: Loading layer", layer.Size);
        Assert.Equal("Loaded image: bb:1", loaded.TrimEnd('\n').Split('\n')[^1]);

        // Piped (stdin a pipe: the archive is read first): docker's one line, nothing else.
        var piped = await StrataCli.WithoutStore.RunAsync("--root", PathOf("piped"), "load", "-i", archive);
        Assert.Equal((0, "Loaded image: bb:1\n", ""), (piped.ExitCode, piped.Stdout, piped.Stderr));
        var (fromStdin, stdinExit) = await OnTerminalAsync(["/bin/sh", "-c", $"cat '{archive}' | '{Strata}' --root '{PathOf("stdin")}' load"]);
        Assert.True(stdinExit == 0, fromStdin);
        AssertFullBar(fromStdin, "Reading stdin", new FileInfo(archive).Length);
        AssertFullBar(fromStdin, $"{layer.Digest[7..19]}: Loading layer", layer.Size);
        Assert.Equal("Loaded image: bb:1", fromStdin.TrimEnd('\n').Split('\n')[^1]);

        // -q on a terminal: nothing at all.
        var (quiet, quietExit) = await OnTerminalAsync([Strata, "--root", PathOf("quiet"), "load", "-q", "-i", archive]);
        Assert.Equal((0, "\n"), (quietExit, quiet));
    }

    [Fact]
    public async Task Commit_and_export_on_a_terminal_show_the_containers_bytes()
    {
        await OkAsync("import", Rootfs(), "bb:1");
        await OkAsync("run", "--name", "c1", "--network", "none", "bb:1", "/bin/busybox", "sh", "-c", $"/bin/busybox head -c {BigFile} /dev/zero > /made");
        var id = (await OkAsync("ps", "-a", "-q")).Trim();
        Assert.Equal(12, id.Length);

        var (committed, commitExit) = await OnTerminalAsync([Strata, "--root", Store, "commit", "c1", "made:1"]);

        Assert.True(commitExit == 0, committed);
        // The bar's total is the new layer's SIZE, as history shows it in bytes.
        var layerBytes = long.Parse((await OkAsync("history", "-H=false", "--format", "{{.Size}}", "made:1")).Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(layerBytes >= BigFile, $"the committed layer holds {layerBytes} bytes");
        AssertFullBar(committed, $"{id}: Committing", layerBytes);
        var image = (await OkAsync("inspect", "--format", "{{.Id}}", "made:1")).Trim();
        Assert.Equal(image, committed.TrimEnd('\n').Split('\n')[^1]);

        var exported = PathOf("c1.tar");
        var (export, exportExit) = await OnTerminalAsync([Strata, "--root", Store, "export", "-o", exported, "c1"]);

        Assert.True(exportExit == 0, export);
        AssertFullBar(export, $"{id}: Exporting", ContentOf(exported));
        Assert.True(ContentOf(exported) > 2 * BigFile, "the export holds both big files");
        // Piped, export prints the tar and nothing else.
        var piped = await StrataCli.WithoutStore.RunAsync("--root", Store, "export", "-o", PathOf("piped.tar"), "c1");
        Assert.Equal((0, "", ""), (piped.ExitCode, piped.Stdout, piped.Stderr));
    }

    [Fact]
    public async Task A_big_COPY_shows_the_bytes_it_copied_on_its_line_in_the_terminal_view()
    {
        await OkAsync("import", Rootfs(), "bb:1");
        var context = PathOf("context");
        Directory.CreateDirectory(Path.Combine(context, "data"));
        await File.WriteAllBytesAsync(Path.Combine(context, "data", "one"), new byte[4_000_000]);
        await File.WriteAllBytesAsync(Path.Combine(context, "data", "two"), new byte[1_500_000]);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM bb:1\nCOPY data /data\n");

        var (screen, exit) = await OnTerminalAsync([Strata, "--root", Store, "build", "--network", "none", context]);

        Assert.True(exit == 0, screen);
        var line = Assert.Single(screen.Split('\n'), l => l.StartsWith(" => #", StringComparison.Ordinal) && l.Contains("[2/2] COPY data /data", StringComparison.Ordinal));
        Assert.Matches(@" 5\.5MB DONE \d+\.\ds$", line);
    }

    private static string Strata => StrataCli.Binary;

    /// <summary>The screen and scrollback after <paramref name="command"/> ran in a 160x50 tmux window, and its exit code.</summary>
    private static Task<(string Screen, int ExitCode)> OnTerminalAsync(IReadOnlyList<string> command) => TmuxSession.RunToEndAsync(command);
}
