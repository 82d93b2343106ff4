namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>A temporary folder with a busybox base rootfs and a way to make fresh strata stores holding it as base:1.</summary>
public sealed class BaseStore : IDisposable
{
    private readonly TempDir _tempDir = new("strata-bt-store-");

    public BaseStore()
    {
        DifferentialBase.Create(BaseRootfs);
    }

    public string Root => _tempDir.Path;

    public string BaseRootfs => Path.Combine(Root, "base-rootfs");

    /// <summary>A new empty store with base:1 imported (with <paramref name="environment"/>, e.g. SOURCE_DATE_EPOCH).</summary>
    internal async Task<StrataCli> NewStoreAsync(string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var cli = new StrataCli(Path.Combine(Root, name));
        (await cli.RunAsync(["import", BaseRootfs, DockerdFixture.BaseImage], new RunOptions().WithEnvironment(environment))).EnsureSuccess();
        return cli;
    }

    public void Dispose() => _tempDir.Dispose();
}
