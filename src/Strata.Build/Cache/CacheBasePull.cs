using Strata.Content;
using Strata.Core;
using Strata.Images;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--pull</c> without a registry: the base image is whatever the store's name points at now,
/// re-read by digest with its manifest and config verified, so the first step's key is the
/// current image ID and a damaged base fails the build instead of being reused.
/// </summary>
internal static class CacheBasePull
{
    public static async Task VerifyAsync(ImageStore store, string name, StoredImage image, CancellationToken cancellationToken)
    {
        foreach (var digest in new[] { image.Record.ManifestDigest, image.Manifest.Config.Digest })
        {
            if (!await store.Content.VerifyAsync(digest, cancellationToken).ConfigureAwait(false))
                throw new FailedPreconditionException($"--pull: base image {name}: blob {digest} is missing or does not match its digest");
        }
    }
}
