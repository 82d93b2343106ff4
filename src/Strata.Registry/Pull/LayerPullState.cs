namespace Strata.Registry.Pull;

/// <summary>Where one layer of a pull stands, in docker's words.</summary>
public enum LayerPullState
{
    /// <summary>The store holds it: nothing is downloaded.</summary>
    AlreadyExists,
    /// <summary>Its download started.</summary>
    PullingFsLayer,
    /// <summary>Downloaded, verified and recorded in the store.</summary>
    PullComplete,
}
