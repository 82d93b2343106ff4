using System.Diagnostics;
using System.Security.Cryptography;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// A store on a small tmpfs (mounted here; the tests run as root): an import that does not fit
/// names the cause in one line (exit 1, not SQLite's "disk I/O error" and 125), and once the
/// disk is completely full, <c>system check</c> still runs and <c>system prune</c> frees space.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-fulldisk-");

    private readonly string _mount;

    public FullDiskTests()
    {
        _mount = Path.Combine(_tempDir.Path, "disk");
        Directory.CreateDirectory(_mount);
        Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _mount);
    }

    public void Dispose()
    {
        Run("umount", "-l", _mount);
        _tempDir.Dispose();
    }

    [Fact]
    public async Task A_full_disk_is_named_and_check_and_prune_still_run()
    {
        var store = Path.Combine(_mount, "store");
        (await Strata("import", Rootfs("six", 6 << 20), "six:1")).Ensure();

        var tooBig = await Strata("import", Rootfs("twelve", 12 << 20), "twelve:1");

        Assert.Equal(1, tooBig.ExitCode);
        var error = Assert.Single(tooBig.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Error: no space left on device at {store}/", error, StringComparison.Ordinal);

        // Whatever else shares the disk fills the last bytes: now SQLite itself has no room.
        Fill(Path.Combine(_mount, "filler"));
        var images = await Strata("images");
        Assert.Equal(1, images.ExitCode);
        Assert.Equal($"Error: no space left on device at {store}\n", images.Stderr);

        var check = (await Strata("system", "check")).Ensure();
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", check.Stdout);
        var prune = (await Strata("system", "prune", "-a", "-f")).Ensure();
        Assert.Contains("Untagged: six:1\n", prune.Stdout, StringComparison.Ordinal);
        // The layer is stored uncompressed (issue 17): the 6 MiB file's tar, config and manifest.
        Assert.EndsWith("Total reclaimed space: 6.294MB\n", prune.Stdout, StringComparison.Ordinal);
        Assert.True(new DriveInfo(_mount).AvailableFreeSpace > 6 << 20, "prune freed no space");
        Assert.Equal("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n", (await Strata("images")).Ensure().Stdout);
    }

    [Fact]
    public async Task A_store_whose_reserve_is_gone_names_the_full_disk_instead_of_failing_to_make_the_reserve()
    {
        var store = Path.Combine(_mount, "store");
        (await Strata("images")).Ensure();
        // An earlier prune released the reserve, then the disk filled before any command re-made it.
        File.Delete(Path.Combine(store, "space-reserve"));
        Fill(Path.Combine(_mount, "filler"));

        var images = await Strata("images");

        Assert.Equal(1, images.ExitCode);
        Assert.Equal($"Error: no space left on device at {store}\n", images.Stderr);
        Assert.False(File.Exists(Path.Combine(store, "space-reserve")), "a partial reserve was left behind");
    }

    [Fact]
    public async Task A_new_store_on_a_full_disk_fails_in_one_line_and_leaves_no_temp_file()
    {
        var store = Path.Combine(_mount, "store");
        Fill(Path.Combine(_mount, "filler"));

        var images = await Strata("images");

        Assert.Equal(1, images.ExitCode);
        Assert.Single(images.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Error: no space left on device at {store}/", images.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories));
    }

    private Task<ProcessResult> Strata(params string[] args) => StrataCli.WithoutStore.RunAsync(["--root", Path.Combine(_mount, "store"), .. args]);

    /// <summary>A root filesystem of one file of random (incompressible) bytes, outside the small disk.</summary>
    private string Rootfs(string name, int bytes)
    {
        var dir = Path.Combine(_tempDir.Path, name);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "data"), RandomNumberGenerator.GetBytes(bytes));
        return dir;
    }

    private static void Fill(string path)
    {
        var block = new byte[4096];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true) file.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point
        }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {stderr}");
    }
}

internal static class StrataResultExtensions
{
    public static ProcessResult Ensure(this ProcessResult result) =>
        result.ExitCode == 0 ? result : throw new InvalidOperationException($"strata exited with {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
}
