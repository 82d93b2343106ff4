namespace Strata.Execution;

/// <summary>What network the container sees (<c>--network</c>, BuildKit's <c>RUN --network</c>).</summary>
public enum NetworkMode
{
    /// <summary>A new network namespace holding only the loopback interface.</summary>
    None,

    /// <summary>The host's network namespace: no network isolation.</summary>
    Host,

    /// <summary>
    /// Docker's and BuildKit's default: a network namespace of its own with outbound access through
    /// user-mode NAT (<c>slirp4netns</c>, see <c>Network/SlirpNetwork</c>). The container is
    /// 10.0.2.100 behind gateway 10.0.2.2, with a DNS forwarder at 10.0.2.3; host ports can be
    /// published into it (<see cref="ContainerSpec.Ports"/>).
    /// </summary>
    Nat,
}
