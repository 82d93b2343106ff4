using Strata.Core;

namespace Strata.Registry.Pull;

/// <summary>What a pull reports as it goes (the CLI prints docker's lines). Called from several download tasks at once.</summary>
public interface IPullProgress
{
    /// <summary>The manifest for the platform is known; its layers follow.</summary>
    void Resolved(ImageReference reference, Descriptor root, Descriptor manifest);

    void Layer(Descriptor layer, LayerPullState state);

    /// <summary>
    /// <paramref name="received"/> bytes of <paramref name="layer"/> have arrived (and passed on to
    /// the store) so far; reported after each read, only growing. Plain output ignores it.
    /// </summary>
    void Downloading(Descriptor layer, long received) { }
}
