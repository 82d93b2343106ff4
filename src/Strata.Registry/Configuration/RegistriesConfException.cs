using Strata.Core;

namespace Strata.Registry.Configuration;

/// <summary>A registries.conf that cannot be used: the message names the file and, where known, the line.</summary>
public sealed class RegistriesConfException : StrataException
{
    public RegistriesConfException(string message) : base(message) { }

    public RegistriesConfException(string message, Exception? innerException) : base(message, innerException) { }

    public RegistriesConfException() { }

    public override ErrorCategory Category => ErrorCategory.Failed;
}
