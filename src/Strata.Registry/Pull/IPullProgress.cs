using Strata.Core;

namespace Strata.Registry.Pull;

/// <summary>What a pull reports as it goes (the CLI prints docker's lines). Called from several download tasks at once.</summary>
public interface IPullProgress
{
    /// <summary>The manifest for the platform is known; its layers follow.</summary>
    void Resolved(ImageReference reference, Descriptor root, Descriptor manifest);

    void Layer(Descriptor layer, LayerPullState state);
}
