using System.Net;
using Strata.Core;

namespace Strata.Registry;

/// <summary>
/// A registry answered with an error: the message names the reference first, then the
/// distribution-spec error code and the registry's own message (or the HTTP status when the
/// body carried none). Unknown manifests, blobs and repositories are <see cref="ErrorCategory.NotFound"/>.
/// </summary>
public sealed class RegistryException : StrataException
{
    public RegistryException(string message) : base(message) { }

    public RegistryException(string message, Exception? innerException) : base(message, innerException) { }

    public RegistryException() { }

    public RegistryException(string message, HttpStatusCode? status, string? code) : base(message)
    {
        Status = status;
        Code = code;
    }

    /// <summary>The HTTP status, when there was an answer.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The spec's error code (<c>MANIFEST_UNKNOWN</c>, <c>DENIED</c>...), when the body gave one.</summary>
    public string? Code { get; }

    public override ErrorCategory Category =>
        Status == HttpStatusCode.NotFound || (Code is not null && Code.EndsWith("_UNKNOWN", StringComparison.Ordinal))
            ? ErrorCategory.NotFound
            : ErrorCategory.Failed;
}
