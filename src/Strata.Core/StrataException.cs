namespace Strata.Core;

/// <summary>
/// Base of every error Strata reports on purpose. The message is one sentence that names the
/// object at fault (a digest, a path, a reference, a Dockerfile line); the CLI prints it as is
/// and maps <see cref="Category"/> to an exit code.
/// </summary>
public class StrataException : Exception
{
    public StrataException(string message) : base(message) { }

    public StrataException(string message, Exception? innerException) : base(message, innerException) { }

    public StrataException() { }

    /// <summary>What kind of failure this is, so callers can branch without parsing text.</summary>
    public virtual ErrorCategory Category => ErrorCategory.Failed;
}
