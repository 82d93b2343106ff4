namespace Strata.Core;

/// <summary>Error of category <see cref="ErrorCategory.AlreadyExists"/>.</summary>
public sealed class AlreadyExistsException : StrataException
{
    public AlreadyExistsException(string message) : base(message) { }

    public AlreadyExistsException(string message, Exception? innerException) : base(message, innerException) { }

    public AlreadyExistsException() { }

    public override ErrorCategory Category => ErrorCategory.AlreadyExists;
}
