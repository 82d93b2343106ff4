using Strata.Core;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// Brings a base image from its registry into the store (the CLI's is <c>strata pull</c>'s
/// puller, with its credentials, TLS and insecure-registry rules). A build without one is
/// offline: every base must already be in the store.
/// </summary>
public interface IBaseImagePuller
{
    /// <summary>
    /// Resolves <paramref name="reference"/> in its registry for <paramref name="platform"/> and
    /// records it in the store under the reference (downloading only the layers the store lacks).
    /// </summary>
    /// <returns>The image's ID in the store.</returns>
    /// <exception cref="StrataException">The registry is unreachable, refuses, or does not know the reference.</exception>
    Task<Digest> PullAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken);
}
