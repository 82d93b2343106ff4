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
        string tree = _ws.Scratch.NewDir("big");
        for (int i = 0; i < FileCount; i++) RandomFiles.Write(Path.Combine(tree, $"part{i}.bin"), MegabytesPerFile, seed: i);
        string ingest = Path.Combine(_ws.Strata.StoreRoot, "ingest");
        string blobs = Path.Combine(_ws.Strata.StoreRoot, "blobs", "sha256");

        using (var import = _ws.Strata.Start("import", tree, "big:1"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (PartialIngest(ingest) is null)
            {
                Assert.False(import.HasExited, $"the import ended (exit {(import.HasExited ? import.ExitCode : 0)}) before a partial blob appeared in {ingest}; the tree is too small to catch it mid-blob");
                Assert.True(DateTime.UtcNow < deadline, $"no partial blob appeared in {ingest} within 90s");
                await Task.Delay(20);
            }
            import.Kill(); // SIGKILL
            await import.WaitForExitAsync();
            Assert.Equal(128 + 9, import.ExitCode);
        }

        Assert.NotNull(PartialIngest(ingest));
        foreach (var blob in Directory.EnumerateFiles(blobs))
            Assert.Equal("sha256:" + Path.GetFileName(blob), StoreFiles.Sha256OfFile(blob));
        Assert.Equal("", await _ws.Strata.OkAsync("images", "-q"));

        Assert.Equal("checked 0 blobs, 0 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ingest));

        string id = (await _ws.Strata.OkAsync("import", tree, "big:1")).TrimEnd('\n');
        Assert.Equal($"big:1 {id}\n", await _ws.Strata.OkAsync("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        Assert.Equal($"{(long)FileCount * MegabytesPerFile << 20}\n", await _ws.Strata.OkAsync("inspect", "--format", "{{.Size}}", "big:1"));
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ingest));
    }

    public void Dispose() => _ws.Dispose();

    private static string? PartialIngest(string ingest) =>
        Directory.Exists(ingest)
            ? Directory.EnumerateFiles(ingest, "*", SearchOption.AllDirectories).FirstOrDefault(f => new FileInfo(f).Length > 0)
            : null;
}
