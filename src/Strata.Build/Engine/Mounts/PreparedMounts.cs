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

    /// <summary>Secrets with <c>env=</c> as NAME=VALUE entries; never recorded anywhere.</summary>
    public List<string> Env { get; } = [];

    /// <summary>
    /// Where the runtime's bundle for this step must be written instead of the store (a private
    /// tmpfs directory) because its config.json will hold a secret; null: the default place.
    /// </summary>
    public string? BundleDirectory { get; set; }

    /// <summary>The first ssh mount's target, for <c>SSH_AUTH_SOCK</c>.</summary>
    public string? SshAuthSock { get; set; }

    /// <summary>
    /// The step's cache leases by instance name. A second mount of the same cache in one step
    /// shares the first one's lease, as BuildKit hands every mount of one cache key in one exec
    /// the same ref: a second flock would be a second open file, and a locked cache would wait
    /// for its own step forever (a private one would get another instance).
    /// </summary>
    public Dictionary<string, CacheMountLease> CacheLeases { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The step's environment with the mounts' entries: a secret's variable replaces one of the
    /// same name; <c>SSH_AUTH_SOCK</c> is added only when the image does not set it (BuildKit's rules).
    /// </summary>
    public List<string> WithEnvironment(IReadOnlyList<string> env)
    {
        static string Name(string entry) => entry.Split('=', 2)[0];
        var secretNames = Env.Select(Name).ToHashSet(StringComparer.Ordinal);
        var result = env.Where(e => !secretNames.Contains(Name(e))).ToList();
        if (SshAuthSock is not null && !env.Any(e => Name(e) == "SSH_AUTH_SOCK")) result.Add("SSH_AUTH_SOCK=" + SshAuthSock);
        result.AddRange(Env);
        return result;
    }

    public T Own<T>(T resource)
        where T : class
    {
        _resources.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        // Last acquired first: relays and views before the directories that hold them. One
        // failure (a busy unmount) must not keep the rest, above all the secrets, alive.
        List<Exception>? errors = null;
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            try
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
            catch (Exception ex) when (ex is IOException or Core.StrataException or UnauthorizedAccessException)
            {
                (errors ??= []).Add(ex);
            }
        }
        _resources.Clear();
        if (errors is { Count: > 0 }) throw errors[0];
    }
}
