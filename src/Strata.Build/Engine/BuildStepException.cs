using Strata.Core;

namespace Strata.Build.Engine;

/// <summary>A build step failed: the message names the Dockerfile line, the instruction and why.</summary>
public sealed class BuildStepException : StrataException
{
    public BuildStepException(string message) : base(message) { }

    public BuildStepException(string message, Exception? innerException) : base(message, innerException) { }

    public BuildStepException() { }
}
