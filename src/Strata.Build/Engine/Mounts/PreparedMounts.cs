using Strata.Execution;

namespace Strata.Build.Engine.Mounts;

/// <summary>
/// A RUN step's extra mounts and environment, with what backs them (cache locks, read-only views,
/// the secret tmpfs directory, agent relays, copies for rw binds). Disposing after the step
/// releases and deletes all of it, so nothing of a secret outlives the step.
/// </summary>
internal sealed class PreparedMounts : IAsyncDisposable
{
    private readonly List<object> _resources = [];

    public List<ContainerMount> Mounts { get; } = [];

    /// <summary>Environment entries the mounts add (<c>SSH_AUTH_SOCK</c>, secrets with <c>env=</c>); never recorded anywhere.</summary>
    public List<string> Env { get; } = [];

    public T Own<T>(T resource)
        where T : class
    {
        _resources.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        // Last acquired first: relays and views before the directories that hold them.
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            switch (_resources[i])
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
        _resources.Clear();
    }
}
