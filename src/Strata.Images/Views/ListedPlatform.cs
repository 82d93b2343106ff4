using Strata.Core;

namespace Strata.Images.Views;

/// <summary>One platform a multi-platform image lists: present when <see cref="ImageId"/> is set.</summary>
public sealed record ListedPlatform(Platform? Platform, Digest Manifest, Digest? ImageId, long Size, DateTimeOffset? Created)
{
    public bool Present => ImageId is not null;
}
