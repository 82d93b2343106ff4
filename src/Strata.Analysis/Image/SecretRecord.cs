namespace Strata.Analysis.Image;

/// <summary>A secret found in a layer's file; <see cref="ByLayer"/> is set when a later layer deleted or overwrote it (it is still in its layer).</summary>
internal sealed record SecretRecord(SecretHit Hit, int Layer, string Path, long Size)
{
    public int? ByLayer { get; set; }
}
