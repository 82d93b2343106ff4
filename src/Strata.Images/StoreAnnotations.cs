namespace Strata.Images;

/// <summary>Annotation keys Strata writes in index.json and saved archives.</summary>
public static class StoreAnnotations
{
    /// <summary>OCI's name of a manifest inside a layout; skopeo and umoci look tags up by it.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>The full image name, as containerd and docker 25+ write it.</summary>
    public const string ImageName = "io.containerd.image.name";
}
