using Strata.Build.IntegrationTests.Fixtures;
namespace Strata.Containers.Tests.Fixtures;

/// <summary>
/// One store for the whole collection, holding <c>base:1</c> (the tiny base) and <c>big:1</c>
/// (the base plus a 64 MiB /srv/big.bin). Tests name their containers uniquely.
/// </summary>
public sealed class ContainerStore : IAsyncLifetime
{
    public const long BigFileSize = 64L << 20;

    private readonly TempDir _tempDir = new("strata-ct-");


    public string Root => _tempDir.Path;

    public string BaseRootfs => Path.Combine(Root, "base-rootfs");

    internal StrataCli Cli => new(Path.Combine(Root, "store"));

    public async Task InitializeAsync()
    {
        ContainerRootfs.Create(BaseRootfs);
        (await Cli.RunAsync("import", BaseRootfs, "base:1")).EnsureSuccess();
        var big = Path.Combine(Root, "big-rootfs");
        ContainerRootfs.Create(big);
        ContainerRootfs.AddBigFile(big, BigFileSize);
        (await Cli.RunAsync("import", big, "big:1")).EnsureSuccess();
        Directory.Delete(big, recursive: true);
    }

    public Task DisposeAsync()
    {
        try { _tempDir.Dispose(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
