namespace Strata.Core;

/// <summary>Error of category <see cref="ErrorCategory.NotFound"/>.</summary>
public sealed class NotFoundException : StrataException
{
    public NotFoundException(string message) : base(message) { }

    public NotFoundException(string message, Exception? innerException) : base(message, innerException) { }

    public NotFoundException() { }

    public override ErrorCategory Category => ErrorCategory.NotFound;
}
