namespace Strata.Core;

/// <summary>Error of category <see cref="ErrorCategory.InvalidArgument"/>.</summary>
public sealed class InvalidArgumentException : StrataException
{
    public InvalidArgumentException(string message) : base(message) { }

    public InvalidArgumentException(string message, Exception? innerException) : base(message, innerException) { }

    public InvalidArgumentException() { }

    public override ErrorCategory Category => ErrorCategory.InvalidArgument;
}
