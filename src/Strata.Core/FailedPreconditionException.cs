namespace Strata.Core;

/// <summary>Error of category <see cref="ErrorCategory.FailedPrecondition"/>.</summary>
public sealed class FailedPreconditionException : StrataException
{
    public FailedPreconditionException(string message) : base(message) { }

    public FailedPreconditionException(string message, Exception? innerException) : base(message, innerException) { }

    public FailedPreconditionException() { }

    public override ErrorCategory Category => ErrorCategory.FailedPrecondition;
}
