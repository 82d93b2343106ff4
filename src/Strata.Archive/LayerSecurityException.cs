using Strata.Core;

namespace Strata.Archive;

/// <summary>A layer that tries to reach outside the target root, is malformed, or exceeds a cap.
/// The message always names the layer and the entry: <c>layer NAME: entry "ENTRY": WHAT</c>.</summary>
public sealed class LayerSecurityException : StrataException
{
    public LayerSecurityException(string layerName, string entryName, string what)
        : base($"layer {layerName}: entry \"{entryName}\": {what}")
    {
        LayerName = layerName;
        EntryName = entryName;
    }

    public LayerSecurityException() { }

    public LayerSecurityException(string message) : base(message) { }

    public LayerSecurityException(string message, Exception? innerException) : base(message, innerException) { }

    public string LayerName { get; } = "";

    public string EntryName { get; } = "";

    public override ErrorCategory Category => ErrorCategory.InvalidArgument;
}
