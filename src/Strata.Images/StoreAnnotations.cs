namespace Strata.Images;

/// <summary>Annotation keys Strata writes in index.json and saved archives.</summary>
public static class StoreAnnotations
{
    /// <summary>OCI's name of a manifest inside a layout; skopeo and umoci look tags up by it.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>The full image name, as containerd and docker 25+ write it.</summary>
    public const string ImageName = "io.containerd.image.name";

    /// <summary>
    /// On a manifest Strata built: how many of its layers come from the final stage's base image
    /// (analysis splits wasted bytes into the base's and the user's). Annotations keep the
    /// config, and so the image ID, the same as BuildKit's for the same input.
    /// </summary>
    public const string BuildBaseLayers = "dev.strata.build.base-layers";

    /// <summary>On a manifest Strata built: the Dockerfile's name (as given to the build).</summary>
    public const string BuildDockerfile = "dev.strata.build.dockerfile";

    /// <summary>
    /// On a manifest Strata built: the Dockerfile line of each config history entry, comma
    /// separated in history order, empty for entries the build did not make (the base's).
    /// </summary>
    public const string BuildLines = "dev.strata.build.lines";
}
