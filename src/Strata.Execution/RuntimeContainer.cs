namespace Strata.Execution;

/// <summary>One container as the runtime's <c>list</c> reports it: <c>created</c>, <c>running</c>, <c>paused</c> or <c>stopped</c>.</summary>
public sealed record RuntimeContainer(string Id, int Pid, string Status);
