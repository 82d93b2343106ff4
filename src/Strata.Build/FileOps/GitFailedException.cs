using Strata.Core;

namespace Strata.Build.FileOps;

/// <summary>A git command failed; the message is git's own error line (the caller adds the URL and ref).</summary>
public sealed class GitFailedException : StrataException
{
    public GitFailedException(string message) : base(message) { }

    public GitFailedException(string message, Exception? innerException) : base(message, innerException) { }

    public GitFailedException() { }
}
