using Strata.Core;

namespace Strata.Archive;

/// <summary>A layer that tries to reach outside the target root, is malformed, or exceeds a cap.
/// The message always names the layer and the entry, and says where the entry is in the archive
/// (1-based, in archive order, extension headers not counted, as <c>tar -t</c> lists them):
/// <c>layer NAME: entry "ENTRY": WHAT (archive entry #N)</c>. An archive may hold the same name
/// twice; the index tells which one failed.</summary>
public sealed class LayerSecurityException : StrataException
{
    public LayerSecurityException(string layerName, string entryName, long entryIndex, string what)
        : base($"layer {layerName}: entry \"{entryName}\": {what}{IndexSuffix(entryIndex)}")
    {
        LayerName = layerName;
        EntryName = entryName;
        EntryIndex = entryIndex;
    }

    public LayerSecurityException() { }

    public LayerSecurityException(string message) : base(message) { }

    public LayerSecurityException(string message, Exception? innerException) : base(message, innerException) { }

    public string LayerName { get; } = "";

    public string EntryName { get; } = "";

    /// <summary>Where the entry is in the archive, from 1; 0 when the error is about no entry.</summary>
    public long EntryIndex { get; }

    /// <summary><c> (archive entry #N)</c>, or nothing before the first entry.</summary>
    internal static string IndexSuffix(long entryIndex) => entryIndex > 0 ? $" (archive entry #{entryIndex})" : "";

    public override ErrorCategory Category => ErrorCategory.InvalidArgument;
}
