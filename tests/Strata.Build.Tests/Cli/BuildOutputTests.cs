using Strata.Build.Tests.Cache.Cli;

namespace Strata.Build.Tests.Cli;

/// <summary><c>strata build --output</c>: the final root filesystem or an image archive, besides the store.</summary>
public sealed class BuildOutputTests : IDisposable
{
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Local_output_writes_the_final_root_filesystem_and_tar_and_oci_write_archives()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("app.txt", "hello\n");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo built > /built.txt\nCOPY app.txt /app/\n");
        var local = Path.Combine(_cli.Scratch, "rootfs");
        var tar = Path.Combine(_cli.Scratch, "rootfs.tar");
        var oci = Path.Combine(_cli.Scratch, "image.tar");

        await _cli.BuildAsync("--output", $"type=local,dest={local}", "-o", $"type=tar,dest={tar}", "-o", $"type=oci,dest={oci}");

        Assert.Equal("built\n", File.ReadAllText(Path.Combine(local, "built.txt")));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(local, "app", "app.txt")));
        Assert.True(File.Exists(Path.Combine(local, "bin", "busybox")));
        var listing = await ListAsync(tar);
        Assert.Contains("built.txt", listing);
        Assert.Contains("app/app.txt", listing);
        var archive = await ListAsync(oci);
        Assert.Contains("manifest.json", archive);
        Assert.Contains("index.json", archive);
        Assert.Contains("oci-layout", archive);
    }

    [Fact]
    public async Task A_bad_output_spec_fails_before_building_with_one_line()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo should-not-run\n");
        // (type=registry is an output since issue 12; a type nothing knows is still refused.)
        // Run directly: the error is strata's own line, not a failed assertion of the harness's build helper.
        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", "--output", "type=nosuch,dest=x", _cli.Context]);
        StrataExit.AssertFailed(StrataExit.Usage, exit, stderr);
        Assert.Contains("unknown type \"nosuch\"", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Rejected while parsing the command line: no build step was even started.
        Assert.DoesNotContain("#1 ", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", "--output", "type=registry,dest=x", _cli.Context]);
        StrataExit.AssertFailed(StrataExit.Usage, exit, stderr);
        Assert.Contains("--output \"type=registry,dest=x\": type=registry does not take dest=", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<List<string>> ListAsync(string tarFile)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("tar", ["-tf", tarFile]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimStart('.', '/'))];
    }
}
