using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// The runtime could not start the container's process (no such executable, a mount that
/// failed, a limit the host refused); the message carries the runtime's own words. Distinct from a
/// process that started and exited non-zero, which is an <see cref="ExecutionResult"/>.
/// </summary>
public sealed class ContainerStartException : StrataException
{
    public ContainerStartException(string message) : base(message) { }

    public ContainerStartException(string message, Exception? innerException) : base(message, innerException) { }

    public ContainerStartException() { }

    /// <summary>The container the runtime failed to start.</summary>
    public string ContainerId { get; init; } = "";
}
