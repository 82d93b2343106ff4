using Strata.Core;
using Strata.Images;

namespace Strata.Registry.Pull;

/// <summary>
/// A finished pull: the digest the reference resolved to (an index's when the tag names one, as
/// docker prints it), the stored image, and whether anything changed (false: the reference
/// already named this image, docker's "Image is up to date").
/// </summary>
public sealed record PullResult(ImageReference Reference, Digest RootDigest, StoredImage Image, bool Downloaded);
