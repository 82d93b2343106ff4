using Strata.Core;

namespace Strata.Registry.Push;

/// <summary>What a push reports as it goes (the CLI prints docker's lines). Called from several upload tasks at once.</summary>
public interface IPushProgress
{
    /// <summary>A layer is in the registry; <paramref name="from"/> is the repository it was mounted from.</summary>
    void Layer(Descriptor layer, BlobPushState state, string? from);

    /// <summary>An upload was cut and goes on at <paramref name="offset"/>, the registry's word (0: in a new session, the registry lost the old one).</summary>
    void Resumed(Descriptor blob, long offset);

    /// <summary>
    /// <paramref name="sent"/> bytes of <paramref name="layer"/> were read from the source and sent
    /// (or are being sent) so far; reported after each read. Plain output ignores it.
    /// </summary>
    void Uploading(Descriptor layer, long sent) { }
}
