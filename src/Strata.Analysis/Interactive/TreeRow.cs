using Strata.Archive;

namespace Strata.Analysis.Interactive;

/// <summary>One visible row of the file tree.</summary>
/// <param name="Path">Absolute path (the row's identity across rebuilds).</param>
/// <param name="Depth">0 for the entries of <c>/</c>.</param>
/// <param name="Kind">What the selected layer did to the path.</param>
/// <param name="Size">A file's size; for a directory, the bytes of the files shown below it.</param>
/// <param name="Wasted">The copy shown does not ship in the final image.</param>
public sealed record TreeRow(string Path, string Name, int Depth, LayerEntryType Type, bool IsDirectory, bool Expanded, ChangeKind Kind, long Size, bool Wasted);
