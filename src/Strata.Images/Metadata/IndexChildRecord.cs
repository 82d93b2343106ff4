using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// One manifest an index lists, with its platform, and the image it is in the store when the
/// store holds it (<see cref="ImageId"/> null: listed but not present, as after a pull of one
/// platform). Presence is read from the images table, never stored, so it cannot go stale.
/// </summary>
public sealed record IndexChildRecord(Descriptor Manifest, Platform? Platform, Digest? ImageId)
{
    public bool Present => ImageId is not null;
}
