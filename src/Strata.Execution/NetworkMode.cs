namespace Strata.Execution;

/// <summary>What network the container sees (BuildKit's <c>RUN --network</c>).</summary>
public enum NetworkMode
{
    /// <summary>A new network namespace holding only the loopback interface (the build default).</summary>
    None,

    /// <summary>The host's network namespace: no network isolation.</summary>
    Host,
}
