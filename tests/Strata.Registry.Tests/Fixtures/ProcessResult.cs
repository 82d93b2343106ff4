using Xunit.Sdk;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>What a finished process left: exit code and everything it printed.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0) throw new XunitException($"`{CommandLine}` exited {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}");
        return this;
    }

    public override string ToString() => $"`{CommandLine}` -> {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
}
