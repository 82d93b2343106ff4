using System.Globalization;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// Issue 18 item 2: <c>builder prune -af</c> and <c>system prune -af</c> looping while builds
/// run never break a build (no "parent snapshot ... does not exist") and never leave a built
/// image without its blobs. Builds hold leases on what they create or reuse until their image
/// is recorded; the GC skips leased content and busy snapshots.
/// </summary>
public sealed class PruneDuringBuildTests : IDisposable
{
    private const int Workers = 3;
    private const int BuildsPerWorker = 3;
    private const int MaxPrunes = 400;

    private readonly CacheCli _cli = new();

    /// <summary>Held by the prune loop around each prune and by a test while it saves a just-built image.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose()
    {
        _gate.Dispose();
        _cli.Dispose();
    }

    [Fact]
    public async Task Builds_beside_a_prune_loop_all_succeed_and_every_built_image_saves()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        // A container keeps the base image through system prune -a (docker's rule), so a build
        // failing to find bb:1 is not what this test measures.
        await _cli.RunOkAsync("create", "--name", "keep-base", "bb:1", "true");

        using var done = new CancellationTokenSource();
        var pruneFailures = new List<string>();
        var pruner = Task.Run(async () =>
        {
            for (int i = 0; i < MaxPrunes && !done.IsCancellationRequested; i++)
            {
                string[] args = i % 2 == 0 ? ["builder", "prune", "-af"] : ["system", "prune", "-af"];
                await _gate.WaitAsync();
                try
                {
                    var (exit, _, stderr) = await _cli.RunAsync(args);
                    if (exit != 0) pruneFailures.Add($"strata {string.Join(' ', args)} exited {exit}: {stderr}");
                }
                finally
                {
                    _gate.Release();
                }
            }
        });

        var results = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w))));
        await done.CancelAsync();
        await pruner;

        var failures = results.SelectMany(r => r).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(pruneFailures.Count == 0, string.Join("\n", pruneFailures));
        var (checkExit, check, checkErr) = await _cli.RunAsync(["system", "check"]);
        Assert.True(checkExit == 0, check + checkErr);
        Assert.Contains(" 0 faults, ", check, StringComparison.Ordinal);
        // Whatever the loop left of the built images still saves whole.
        var (_, ids, _) = await _cli.RunAsync(["images", "-q", "--no-trunc"]);
        foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
        {
            var (exit, _, stderr) = await _cli.RunAsync(["save", "-o", Path.Combine(_cli.Scratch, "final.tar"), id]);
            Assert.True(exit == 0, $"save {id}: {stderr}");
        }
    }

    /// <summary>Runs this worker's builds one after another; returns what went wrong.</summary>
    private async Task<List<string>> WorkerAsync(int worker)
    {
        var failures = new List<string>();
        for (int n = 0; n < BuildsPerWorker; n++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"w{worker}-{n}");
            var context = Path.Combine(_cli.Scratch, "ctx-" + name);
            Directory.CreateDirectory(context);
            // A step every build shares (a cache hit after the first, which prune -a may take
            // away mid-build), then steps of its own: a COPY and RUNs stacked on it.
            await File.WriteAllTextAsync(Path.Combine(context, "data.txt"), name + "\n");
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
                "FROM bb:1\nRUN echo shared > /shared\nCOPY data.txt /data.txt\nRUN cat /data.txt /shared > /both\nRUN echo " + name + " >> /both\n");
            var iid = Path.Combine(_cli.Scratch, "iid-" + name);
            var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", "--iidfile", iid, "-t", "app:" + name, context]);
            if (exit != 0)
            {
                failures.Add($"build {name} exited {exit}: {stderr}");
                continue;
            }
            var id = (await File.ReadAllTextAsync(iid)).Trim();
            // Saved while no prune runs: a prune between the build's end and this may have
            // removed the image (it was recorded, then pruned: fine), but a recorded image
            // must never lack a blob.
            await _gate.WaitAsync();
            try
            {
                var (saveExit, _, saveErr) = await _cli.RunAsync(["save", "-o", Path.Combine(_cli.Scratch, name + ".tar"), id]);
                if (saveExit != 0 && !saveErr.Contains("No such image", StringComparison.Ordinal))
                    failures.Add($"save {name} ({id}) exited {saveExit}: {saveErr}");
            }
            finally
            {
                _gate.Release();
            }
        }
        return failures;
    }
}
