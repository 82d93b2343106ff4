namespace Strata.Cli.Tests.Platforms;

/// <summary>
/// A store in a scratch directory and the usual busybox root filesystem (the static
/// <c>/bin/busybox</c> as <c>/bin/busybox</c> and <c>/bin/sh</c>), imported under any platform
/// label: the commands these tests drive never run a foreign binary, so no emulation is needed.
/// </summary>
internal sealed class PlatformStore : IDisposable
{
    private readonly TempDir _tempDir = new("strata-platforms-");

    public PlatformStore()
    {
        Rootfs = Path.Combine(_tempDir.Path, "rootfs");
        BusyboxRootfs.Minimal.Create(Rootfs);
    }

    public string Rootfs { get; }

    public string Root => Path.Combine(_tempDir.Path, "store");

    public string PathOf(string name) => Path.Combine(_tempDir.Path, name);

    public Task<ProcessResult> RunAsync(params string[] args) => StrataCli.WithoutStore.RunAsync(["--root", Root, .. args]);

    /// <summary>Runs strata against another store in the same scratch directory.</summary>
    public Task<ProcessResult> RunInAsync(string store, params string[] args) => StrataCli.WithoutStore.RunAsync(["--root", PathOf(store), .. args]);

    /// <summary>Stdout of a strata run that must succeed (its stderr in the failure message).</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"strata {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>The busybox root filesystem imported as <paramref name="platform"/> under <paramref name="name"/>; its image ID.</summary>
    public async Task<string> ImportAsync(string platform, string name) =>
        (await OkAsync("import", "--platform", platform, Rootfs, name)).TrimEnd('\n');

    public void Dispose() => _tempDir.Dispose();
}
