using Strata.Core;

namespace Strata.Registry.Push;

/// <summary>What a push reports as it goes (the CLI prints docker's lines). Called from several upload tasks at once.</summary>
public interface IPushProgress
{
    /// <summary>A layer is in the registry; <paramref name="from"/> is the repository it was mounted from.</summary>
    void Layer(Descriptor layer, BlobPushState state, string? from);

    /// <summary>A chunked upload was cut and resumed at <paramref name="offset"/>, the registry's word.</summary>
    void Resumed(Descriptor blob, long offset);
}
