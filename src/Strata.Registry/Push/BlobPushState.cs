namespace Strata.Registry.Push;

/// <summary>How one blob reached the registry, in docker's words.</summary>
public enum BlobPushState
{
    /// <summary>The registry had it: "Layer already exists".</summary>
    AlreadyExists,
    /// <summary>Mounted from another repository of the same registry: "Mounted from REPO".</summary>
    Mounted,
    /// <summary>Uploaded: "Pushed".</summary>
    Pushed,
}
