using Strata.Core;

namespace Strata.Registry.Transport;

/// <summary>A manifest or index as the registry served it: its descriptor (media type from the answer, digest and size of the bytes) and the bytes.</summary>
public sealed record ManifestResponse(Descriptor Descriptor, byte[] Bytes);
