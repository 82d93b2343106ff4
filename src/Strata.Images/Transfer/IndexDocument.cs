using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// An image index as bytes and as a value, validated: unambiguous (<see cref="DocumentKind"/>:
/// no <c>config</c> or <c>layers</c>, its own media type the descriptor's), its children image
/// manifests (an index of indexes is refused: nothing Strata keeps needs one, and it would let
/// one name stand for unbounded nesting), each with a valid size. Only <see cref="Parse"/> makes
/// one, so a sink handed an index never sees an unvalidated one.
/// </summary>
public sealed record IndexDocument
{
    private IndexDocument(Descriptor descriptor, byte[] bytes, ImageIndex index)
    {
        Descriptor = descriptor;
        Bytes = bytes;
        Index = index;
    }

    /// <summary>The index's own descriptor (media type, digest, size; no annotations).</summary>
    public Descriptor Descriptor { get; }

    public byte[] Bytes { get; }

    public ImageIndex Index { get; }

    /// <summary>The image manifests the index lists, in its order.</summary>
    public IReadOnlyList<Descriptor> Children => Index.Manifests;

    /// <exception cref="InvalidArgumentException">An ambiguous or invalid index, in one line naming it.</exception>
    public static IndexDocument Parse(Descriptor descriptor, byte[] bytes, string where)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(bytes);
        if (!MediaTypes.IsIndex(descriptor.MediaType))
            throw new InvalidArgumentException($"{where}: {descriptor.Digest} is a {descriptor.MediaType}, not an image index");
        var actual = Digest.Compute(bytes);
        if (actual != descriptor.Digest) throw new DigestMismatchException(descriptor.Digest, actual, $"{where}: index");
        var index = ImageDocuments.ParseIndex(descriptor, bytes, where);
        if (index.Manifests is null) throw new InvalidArgumentException($"{where}: index {descriptor.Digest} has no \"manifests\"");
        foreach (var child in index.Manifests)
        {
            if (child is null) throw new InvalidArgumentException($"{where}: index {descriptor.Digest} lists a null manifest");
            if (MediaTypes.IsIndex(child.MediaType))
                throw new InvalidArgumentException($"{where}: index {descriptor.Digest} lists another index ({child.Digest}); nested indexes are not supported");
            if (!MediaTypes.IsManifest(child.MediaType))
                throw new InvalidArgumentException($"{where}: index {descriptor.Digest} lists {child.Digest} of media type {child.MediaType}, not an image manifest");
            if (child.Size <= 0) throw new InvalidArgumentException($"{where}: index {descriptor.Digest} lists {child.Digest} with size {child.Size}");
        }
        return new IndexDocument(new Descriptor(descriptor.MediaType, descriptor.Digest, descriptor.Size), bytes, index);
    }
}
