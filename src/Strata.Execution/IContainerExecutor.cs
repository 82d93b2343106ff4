namespace Strata.Execution;

/// <summary>
/// Runs one process in a fresh container on a root filesystem the caller has mounted
/// (containerd's and BuildKit's executor contract).
/// </summary>
/// <remarks>
/// <para><b>Lifecycle.</b> <see cref="RunAsync"/> creates the container, runs the process to
/// completion and removes every trace of the container before it returns or throws: runtime
/// state, the bundle directory, and any mount-point placeholders the runtime had to create in the
/// root filesystem (see below). Nothing is left running.</para>
/// <para><b>Root filesystem.</b> Writes of the process land in <see cref="ContainerSpec.RootfsPath"/>
/// and stay there; that is the point of a RUN step. The executor itself leaves the tree as it
/// found it: <c>/etc/hosts</c>, <c>/etc/resolv.conf</c> and <c>/etc/hostname</c> are generated
/// outside the root filesystem and bind-mounted read-only, and mount points that did not exist
/// before the run (the runtime creates empty files and directories for them) are removed
/// afterwards, so they never end up in a layer. The parent directory's modification time is
/// restored too, unless the process itself added or removed entries there. A placeholder is kept
/// when the process put something into it.</para>
/// <para><b>Refused specs.</b> Paths that could reach the host are refused with
/// <see cref="Core.InvalidArgumentException"/> before any runtime is started: a working directory
/// or mount destination that is relative, not clean (<c>//</c>, <c>.</c>, <c>..</c>, a trailing
/// slash), or under <c>/proc/self</c>, <c>/proc/thread-self</c>, <c>/proc/&lt;pid&gt;</c> or
/// <c>/dev/fd</c> (also when reached through a symbolic link in the root filesystem).</para>
/// <para><b>Streams.</b> Standard output and error are copied to the sinks as they arrive, in
/// chunks of at most 64 KiB: memory stays bounded whatever the process prints. A null stdin
/// gives the process an empty standard input. The sinks are not disposed.</para>
/// <para><b>Exit.</b> The process's exit status is returned as is; a death by signal N is
/// 128 + N. A failure to start the process (no such executable, bad mount) is a
/// <see cref="ContainerStartException"/> carrying the runtime's message, not an exit code.</para>
/// <para><b>Cancellation.</b> Cancelling <c>ct</c> kills every process of the container
/// (SIGKILL), removes it and then throws <see cref="OperationCanceledException"/>.</para>
/// <para><b>Concurrency.</b> Implementations are safe to call from parallel tasks as long as the
/// container ids differ; a second run with the id of a running container fails with
/// <see cref="Core.AlreadyExistsException"/> and leaves the first alone. Two containers must not
/// share one root filesystem directory at the same time (each would see the other's mount
/// placeholders); the build gives every RUN its own snapshot.</para>
/// </remarks>
public interface IContainerExecutor
{
    /// <summary>
    /// Runs <paramref name="spec"/>'s process to completion, streaming its standard output and
    /// error to <paramref name="stdout"/> and <paramref name="stderr"/> as they come.
    /// </summary>
    /// <param name="spec">What to run and where.</param>
    /// <param name="stdin">Fed to the process's standard input, then closed; null for an empty input.</param>
    /// <param name="stdout">Receives the process's standard output.</param>
    /// <param name="stderr">Receives the process's standard error (and the runtime's own complaints).</param>
    /// <param name="ct">Cancelling kills the container.</param>
    /// <returns>The exit code and how long the run took.</returns>
    Task<ExecutionResult> RunAsync(ContainerSpec spec, Stream? stdin, Stream stdout, Stream stderr, CancellationToken ct);
}
