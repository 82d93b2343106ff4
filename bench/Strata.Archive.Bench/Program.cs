using System.Diagnostics;
using System.Text;
using Strata.Archive;

// Usage: dotnet run -c Release --project bench/Strata.Archive.Bench -- [TREE_DIR] [SIZE_MB]
// Makes a mixed tree (big incompressible file, text-like files, many small files) if TREE_DIR
// does not exist, then times LayerWriter.WriteTreeAsync against `tar -c | gzip -6` (both to a
// file, warm page cache, best of 3) and prints peak RSS.
string tree = args.Length > 0 ? args[0] : "/tmp/strata-bench-tree";
int sizeMb = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1024;
if (!Directory.Exists(tree)) MakeTree(tree, sizeMb);
string output = Path.Combine(Path.GetTempPath(), "strata-bench-out");
if (args.Length > 2 && args[2] == "ab")
{
    // Parallel vs inline compression, interleaved so that load from other processes hits both alike.
    for (int i = 0; i < 3; i++)
    {
        foreach (bool parallel in new[] { true, false })
        {
            var sw1 = Stopwatch.StartNew();
            await Strata(LayerWriteOptions.Default with { CompressInParallel = parallel });
            Console.WriteLine($"gzip 6 {(parallel ? "parallel" : "inline  ")}: {sw1.Elapsed.TotalSeconds:F2} s");
        }
    }
    return;
}
if (args.Length > 2 && args[2] == "commit")
{
    // Issue 17: what committing w3's layer (one 512 MiB random file) costs per setting, written
    // and fsynced as the content store does; interleaved rounds so other load hits all alike.
    string big = Path.Combine(tree, "big.bin");
    if (!File.Exists(big)) await Shell($"mkdir -p {tree} && head -c {(long)sizeMb << 20} /dev/urandom > {big}");
    var settings = new (string, LayerWriteOptions)[]
    {
        ("uncompressed", LayerWriteOptions.Default with { Compression = LayerCompression.None }),
        ("gzip 1      ", LayerWriteOptions.Default with { GzipLevel = 1 }),
        ("gzip 6      ", LayerWriteOptions.Default),
        ("zstd 1      ", LayerWriteOptions.Default with { Compression = LayerCompression.Zstd, ZstdLevel = 1 }),
    };
    var times = settings.ToDictionary(s => s.Item1, _ => new List<double>());
    for (int round = 0; round < 3; round++)
    {
        foreach (var (name, options) in settings)
        {
            var sw1 = Stopwatch.StartNew();
            await using (var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await LayerWriter.WriteTreeAsync(tree, file, options, CancellationToken.None);
                file.Flush(flushToDisk: true);
            }
            times[name].Add(sw1.Elapsed.TotalSeconds);
            File.Delete(output);
        }
    }
    foreach (var (name, list) in times)
        Console.WriteLine($"{name}: median {list.Order().ElementAt(1):F2} s (min {list.Min():F2}, max {list.Max():F2})");
    return;
}
if (args.Length > 2 && args[2] == "profile")
{
    // Where apply time goes: listing (decompress + parse + hash content) vs applying.
    await Strata(LayerWriteOptions.Default);
    var sw0 = Stopwatch.StartNew();
    await using (var f = File.OpenRead(output))
        await foreach (var _ in LayerReader.ReadEntriesAsync(f, new LayerReadOptions { HashContent = true })) { }
    Console.WriteLine($"list+hash: {sw0.Elapsed.TotalSeconds:F2} s");
    string r = Path.Combine(Path.GetTempPath(), "strata-bench-apply");
    Reset(r);
    sw0.Restart();
    await using (var f = File.OpenRead(output))
        await LayerApplier.ApplyAsync(f, r, new LayerApplyOptions(), CancellationToken.None);
    Console.WriteLine($"apply: {sw0.Elapsed.TotalSeconds:F2} s");
    sw0.Restart();
    Reset(r);
    Console.WriteLine($"delete: {sw0.Elapsed.TotalSeconds:F2} s");
    sw0.Restart();
    await Shell($"tar -C {r} -xzf {output}");
    Console.WriteLine($"tar -xzf: {sw0.Elapsed.TotalSeconds:F2} s");
    Reset(r);
    return;
}

double Time(Func<Task> run)
{
    double best = double.MaxValue;
    for (int i = 0; i < 3; i++)
    {
        var sw = Stopwatch.StartNew();
        run().GetAwaiter().GetResult();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    return best;
}

async Task Strata(LayerWriteOptions options)
{
    await using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    await LayerWriter.WriteTreeAsync(tree, file, options, CancellationToken.None);
}

async Task Shell(string command)
{
    using var p = Process.Start(new ProcessStartInfo("bash", ["-c", command]))!;
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) throw new InvalidOperationException(command + " failed");
}

double tarGzip = Time(() => Shell($"tar -C {tree} -c . | gzip -6 > {output}"));
long tarGzipSize = new FileInfo(output).Length;
Console.WriteLine($"tar | gzip -6                : {tarGzip,6:F2} s  {tarGzipSize / 1e6,8:F1} MB");
foreach (var (name, options) in new (string, LayerWriteOptions)[]
{
    ("strata gzip 1 parallel      ", LayerWriteOptions.Default with { GzipLevel = 1 }),
    ("strata gzip 1 inline        ", LayerWriteOptions.Default with { GzipLevel = 1, CompressInParallel = false }),
    ("strata gzip 3 parallel      ", LayerWriteOptions.Default with { GzipLevel = 3 }),
    ("strata gzip 4 parallel      ", LayerWriteOptions.Default with { GzipLevel = 4 }),
    ("strata gzip 6 parallel      ", LayerWriteOptions.Default),
    ("strata gzip 6 inline        ", LayerWriteOptions.Default with { CompressInParallel = false }),
    ("strata zstd 3 parallel      ", LayerWriteOptions.Default with { Compression = LayerCompression.Zstd }),
    ("strata uncompressed         ", LayerWriteOptions.Default with { Compression = LayerCompression.None }),
})
{
    double t = Time(() => Strata(options));
    Console.WriteLine($"{name} : {t,6:F2} s  {new FileInfo(output).Length / 1e6,8:F1} MB  ({t / tarGzip:F2}x tar|gzip)");
}
Console.WriteLine($"peak RSS after writes        : {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");

// Apply: the gzip-6 layer into a fresh directory, against `tar -xzf`.
await Strata(LayerWriteOptions.Default);
string applyRoot = Path.Combine(Path.GetTempPath(), "strata-bench-apply");
double untar = Time(() => { Reset(applyRoot); return Shell($"tar -C {applyRoot} -xzf {output}"); });
double apply = Time(async () =>
{
    Reset(applyRoot);
    await using var file = File.OpenRead(output);
    await LayerApplier.ApplyAsync(file, applyRoot, new LayerApplyOptions(), CancellationToken.None);
});
Console.WriteLine($"tar -xzf                     : {untar,6:F2} s");
Console.WriteLine($"strata apply (gzip 6)        : {apply,6:F2} s  ({apply / untar:F2}x tar -xzf)");
Console.WriteLine($"peak RSS (whole process)     : {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
Reset(applyRoot);
Directory.Delete(applyRoot);
File.Delete(output);

static void Reset(string dir)
{
    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    Directory.CreateDirectory(dir);
}

static void MakeTree(string root, int sizeMb)
{
    var rng = new Random(42);
    string[] words = ["layer", "image", "digest", "overlay", "whiteout", "container", "registry", "manifest", "config", "build", "cache", "stage"];
    long budget = (long)sizeMb << 20;
    Directory.CreateDirectory(Path.Combine(root, "big"));
    byte[] random = new byte[budget / 5];
    rng.NextBytes(random);
    File.WriteAllBytes(Path.Combine(root, "big/blob.bin"), random); // 20% incompressible
    long text = budget * 2 / 5;
    for (int i = 0; text > 0; i++)
    {
        string dir = Path.Combine(root, "text", (i / 50).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var sb = new StringBuilder();
        while (sb.Length < 1 << 20) sb.Append(words[rng.Next(words.Length)]).Append(rng.Next(1000)).Append(rng.Next(8) == 0 ? '\n' : ' ');
        File.WriteAllText(Path.Combine(dir, $"f{i}.txt"), sb.ToString());
        text -= sb.Length;
    }
    long small = budget * 2 / 5;
    for (int i = 0; small > 0; i++)
    {
        string dir = Path.Combine(root, "small", (i / 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        byte[] content = new byte[rng.Next(1000, 40_000)];
        for (int j = 0; j < content.Length; j++) content[j] = (byte)(rng.Next(4) == 0 ? rng.Next(256) : 'a' + (j % 26));
        File.WriteAllBytes(Path.Combine(dir, $"s{i}.dat"), content);
        small -= content.Length;
    }
}
