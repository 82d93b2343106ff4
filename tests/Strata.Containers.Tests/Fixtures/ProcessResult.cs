namespace Strata.Containers.Tests.Fixtures;

/// <summary>What a finished child process left: its exit code and both streams, whole.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Throws with the command line and both streams unless the exit code is 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
            throw new InvalidOperationException($"`{Command}` exited with {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
        return this;
    }
}
