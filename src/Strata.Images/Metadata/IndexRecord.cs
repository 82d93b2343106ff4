using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>An image index the store holds (its blob is kept byte for byte; its digest is what names it).</summary>
public sealed record IndexRecord(Digest Digest, string MediaType, long Size, DateTimeOffset AddedAt)
{
    public Descriptor Descriptor => new(MediaType, Digest, Size);
}
