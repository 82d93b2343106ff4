namespace Strata.Execution;

/// <summary>
/// The runtime's lifecycle beyond a foreground run: what detached containers (<c>ps</c>,
/// <c>stop</c>, <c>kill</c>, <c>exec</c>, <c>rm</c>) need of it. Callers hold this interface,
/// never a concrete runtime type; <see cref="RuncExecutor"/> implements it for runc and crun.
/// </summary>
/// <remarks>
/// <para><b>Truth.</b> <see cref="ListAsync"/> reads the runtime's own state, which outlives the
/// process that started a container: it is what a caller compares its records with after a
/// crash or a reboot-like loss.</para>
/// <para><b>No cancellation for signals and cleanup.</b> <see cref="SignalAsync"/> and
/// <see cref="ForgetAsync"/> take no token on purpose: they are what a caller runs when it is
/// giving up (Ctrl-C, a forced remove), and a kill or delete cut off halfway would leave a
/// container behind. Each is bounded by the runtime helper's own timeout instead.</para>
/// <para><b>Idempotency.</b> Signalling a container that is not running returns false; forgetting
/// one the runtime does not know is no error.</para>
/// </remarks>
public interface IContainerRuntime : IContainerExecutor
{
    /// <summary>Every container the runtime's state knows, by id, with its runtime status.</summary>
    Task<IReadOnlyDictionary<string, RuntimeContainer>> ListAsync(CancellationToken ct);

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>KILL</c>, <c>9</c>...) to the container's init. False when the runtime refused (not running).</summary>
    Task<bool> SignalAsync(string id, string signal);

    /// <summary>Runs a second process in the running container (<c>exec</c>); returns its exit code. A process that cannot start is a <see cref="ContainerStartException"/>.</summary>
    Task<int> ExecAsync(ExecRequest request, CancellationToken ct);

    /// <summary>Forgets the container in the runtime (killing what is left of it) and removes its bundle.</summary>
    Task ForgetAsync(string id);

    /// <summary>
    /// Removes container <paramref name="id"/> that a killed caller left: kills every runtime
    /// process still serving it, then forgets it (<see cref="ForgetAsync"/>). Idempotent.
    /// </summary>
    Task ReapAsync(string id);
}
