namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// The harness's private <see cref="Dockerd"/> (BuildKit on) for the whole collection, plus one
/// strata store, both holding the same busybox base as <c>base:1</c>: imported into strata from
/// a directory, then moved to docker by <c>strata save | docker load</c>. The one skip policy is
/// the harness's: <see cref="SkipReason"/> is set only when an installed dockerd cannot start.
/// </summary>
public sealed class DockerdFixture : IAsyncLifetime
{
    public const string BaseImage = "base:1";
    private readonly TempDir _dir = new("strata-bt-");

    public Dockerd Docker { get; } = Dockerd.Create(new DockerdOptions { BuildKit = true });

    public string Root => _dir.Path;

    /// <summary>Why the differential tests cannot run here, or null.</summary>
    public string? SkipReason => Docker.UnavailableReason;

    internal StrataCli Strata { get; private set; } = null!;

    internal string BaseRootfs => Path.Combine(Root, "base-rootfs");

    public async Task InitializeAsync()
    {
        Strata = new StrataCli(Path.Combine(Root, "store"));
        DifferentialBase.Create(BaseRootfs);
        (await Strata.RunAsync("import", BaseRootfs, BaseImage)).EnsureSuccess();
        await Docker.InitializeAsync();
        if (SkipReason is not null) return;
        var baseTar = Path.Combine(Root, "base.tar");
        (await Strata.RunAsync(["save", BaseImage], new RunOptions { StdoutFile = baseTar })).EnsureSuccess();
        (await DockerAsync(["load", "-i", baseTar])).EnsureSuccess();
    }

    /// <summary>Runs the Debian docker client against the private daemon with BuildKit on.</summary>
    internal Task<ProcessResult> DockerAsync(IEnumerable<string> args, string? workingDirectory = null, string? stdinFile = null) =>
        Docker.RunAsync([.. args], new RunOptions { WorkingDirectory = workingDirectory, StdinFile = stdinFile });

    internal Task<ProcessResult> DockerAsync(params string[] args) => DockerAsync((IEnumerable<string>)args);

    public async Task DisposeAsync()
    {
        await Docker.DisposeAsync();
        _dir.Dispose();
    }
}
