namespace Strata.Images.Tests;

/// <summary>Test classes that import the small root filesystem of <see cref="RootfsFixture"/>: one made per test, deleted after it.</summary>
public abstract class WithRootfs : IAsyncLifetime
{
    protected string Rootfs { get; private set; } = "";

    public Task InitializeAsync()
    {
        Rootfs = RootfsFixture.Create();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Scratch.Delete(Rootfs);
        return Task.CompletedTask;
    }
}
