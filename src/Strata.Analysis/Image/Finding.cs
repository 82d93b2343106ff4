namespace Strata.Analysis.Image;

/// <summary>
/// One thing analysis found, tied to the layer (and instruction, and Dockerfile line when known)
/// that caused it and, for waste, to the one that tried to undo it.
/// </summary>
/// <param name="Rule">Stable id (see README): <c>deleted-files</c>, <c>overwritten-files</c>, <c>metadata-copy-up</c>, <c>big-file-copy-up</c>, <c>package-cache</c>, <c>secret-*</c>.</param>
/// <param name="Category"><c>waste</c>, <c>copy-up</c>, <c>cache</c> or <c>secret</c>.</param>
/// <param name="Severity"><c>error</c> (secrets) or <c>warning</c>.</param>
/// <param name="Layer">Index (0 = bottom) of the layer holding the bytes or the secret; -1 for the config (ENV, LABEL).</param>
/// <param name="ByLayer">The layer that deleted or overwrote them, if any.</param>
/// <param name="Bytes">Bytes that could be reclaimed (waste, copy-ups, caches); the file size for secrets.</param>
/// <param name="PathCount">Paths involved; <see cref="Paths"/> lists the biggest (at most 20).</param>
/// <param name="Match">A masked sample of a secret's value, never the value.</param>
public sealed record Finding(
    string Rule,
    string Category,
    string Severity,
    string Message,
    int Layer,
    string? Instruction,
    string? Source,
    int? ByLayer,
    string? ByInstruction,
    string? BySource,
    long Bytes,
    int PathCount,
    IReadOnlyList<FindingPath> Paths,
    string Fix,
    string? Match);
