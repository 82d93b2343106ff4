using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>What a finished process left: the command line it ran, its exit code and both streams, whole.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails the test, with the whole transcript, unless the process exited 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0) throw new XunitException($"`{CommandLine}` exited {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}");
        return this;
    }

    /// <summary>Exit code and streams without the command line, for tests that deconstruct a run.</summary>
    public void Deconstruct(out int exitCode, out string stdout, out string stderr)
    {
        exitCode = ExitCode;
        stdout = Stdout;
        stderr = Stderr;
    }

    public override string ToString() => $"`{CommandLine}` -> {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
}
