namespace Strata.Core;

/// <summary>Content read or written does not have the digest or size it was promised to have.</summary>
public sealed class DigestMismatchException : StrataException
{
    public DigestMismatchException(string message) : base(message) { }

    public DigestMismatchException(string message, Exception? innerException) : base(message, innerException) { }

    public DigestMismatchException() { }

    public DigestMismatchException(Digest expected, Digest actual, string what)
        : base($"{what}: digest mismatch: expected {expected}, got {actual}")
    {
        Expected = expected;
        Actual = actual;
    }

    public Digest? Expected { get; }

    public Digest? Actual { get; }

    public override ErrorCategory Category => ErrorCategory.DataCorrupt;
}
