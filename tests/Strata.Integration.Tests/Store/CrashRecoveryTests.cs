using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Store;

/// <summary>
/// A strata process killed with SIGKILL in the middle of writing a blob (no finally blocks, no
/// cleanup) must leave a store that is still correct: the partial data stays in ingest/ until the
/// next check sweeps it, and never shows up under blobs/.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int FileCount = 3;
    private const int MegabytesPerFile = 100;

    private readonly Workspace _ws = new();

    [Fact]
    public async Task An_import_killed_mid_blob_leaves_a_store_that_checks_clean_and_imports_the_tree_again()
    {
        string tree = BigTree();
        string ingest = Path.Combine(_ws.Strata.StoreRoot, "ingest");

        await KillWhenABlobIsHalfWrittenAsync(_ws.Strata, "import", tree, "big:1");

        Assert.NotNull(PartialIngest(ingest));
        AssertEveryBlobIsWhole(_ws.Strata);
        Assert.Equal("", await _ws.Strata.OkAsync("images", "-q"));

        Assert.Equal("checked 0 blobs, 0 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ingest));

        string id = (await _ws.Strata.OkAsync("import", tree, "big:1")).TrimEnd('\n');
        Assert.Equal($"big:1 {id}\n", await _ws.Strata.OkAsync("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        Assert.Equal($"{(long)FileCount * MegabytesPerFile << 20}\n", await _ws.Strata.OkAsync("inspect", "--format", "{{.Size}}", "big:1"));
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ingest));
    }

    [Fact]
    public async Task A_load_killed_mid_blob_leaves_a_store_that_checks_clean_and_loads_the_archive_again()
    {
        string tree = BigTree();
        await _ws.Strata.OkAsync("import", tree, "big:1");
        string archive = _ws.Scratch.PathOf("big.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "big:1");
        string expected = await _ws.Strata.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", "big:1");
        var target = _ws.OtherStore("target");
        string ingest = Path.Combine(target.StoreRoot, "ingest");

        await KillWhenABlobIsHalfWrittenAsync(target, "load", "-i", archive);

        Assert.NotNull(PartialIngest(ingest));
        AssertEveryBlobIsWhole(target);
        Assert.Equal("", await target.OkAsync("images", "-q"));
        var check = await target.RunAsync("system", "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("checked 0 blobs, 0 images, 0 unpacked layers: 0 faults, 0 unused items\n", check.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(ingest));

        Assert.Equal("Loaded image: big:1\n", await target.OkAsync("load", "-i", archive));
        Assert.Equal(expected, await target.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", "big:1"));
        check = await target.RunAsync("system", "check");
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", check.EnsureSuccess().Stdout);
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>Three files of random data (incompressible, so writing the layer takes seconds).</summary>
    private string BigTree()
    {
        string tree = _ws.Scratch.NewDir("big");
        for (int i = 0; i < FileCount; i++) RandomFiles.Write(Path.Combine(tree, $"part{i}.bin"), MegabytesPerFile, seed: i);
        return tree;
    }

    /// <summary>Starts strata, waits until a blob is partly written in the store's ingest/, then SIGKILLs it.</summary>
    private static async Task KillWhenABlobIsHalfWrittenAsync(StrataCli strata, params string[] arguments)
    {
        string ingest = Path.Combine(strata.StoreRoot, "ingest");
        using var process = strata.Start(arguments);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (PartialIngest(ingest) is null)
        {
            Assert.False(process.HasExited, $"strata {arguments[0]} ended (exit {(process.HasExited ? process.ExitCode : 0)}) before a partial blob appeared in {ingest}; the input is too small to catch it mid-blob");
            Assert.True(DateTime.UtcNow < deadline, $"no partial blob appeared in {ingest} within 90s");
            await Task.Delay(10);
        }
        process.Kill(); // SIGKILL: no finally block, no cleanup runs
        await process.WaitForExitAsync();
        Assert.Equal(128 + 9, process.ExitCode);
    }

    /// <summary>No partial blob is ever visible under blobs/: whatever is there hashes to its name.</summary>
    private static void AssertEveryBlobIsWhole(StrataCli strata)
    {
        string blobs = Path.Combine(strata.StoreRoot, "blobs", "sha256");
        foreach (var blob in Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs) : [])
            Assert.Equal("sha256:" + Path.GetFileName(blob), StoreFiles.Sha256OfFile(blob));
    }

    private static string? PartialIngest(string ingest) =>
        Directory.Exists(ingest)
            ? Directory.EnumerateFiles(ingest, "*", SearchOption.AllDirectories).FirstOrDefault(f => new FileInfo(f).Length > 0)
            : null;
}
