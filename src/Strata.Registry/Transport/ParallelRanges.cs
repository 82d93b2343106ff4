namespace Strata.Registry.Transport;

/// <summary>
/// How a big blob is fetched as several range requests at once (containerd's multipart layer
/// fetch): blobs larger than <see cref="Threshold"/> are split into <see cref="Parts"/> ranges
/// written at their offsets into an unlinked scratch file under <see cref="Directory"/>, read back
/// in order as they arrive, and verified as one blob. A registry that does not honour ranges
/// (a 200 for the first range) is read as one stream instead.
/// </summary>
/// <param name="Directory">Where scratch files are made (on the store's file system, not a tmpfs); created when missing.</param>
/// <param name="Threshold">Blobs of more bytes than this are fetched in ranges. Default 64 MiB.</param>
/// <param name="Parts">Range requests per blob. Default 4.</param>
public sealed record ParallelRanges(string Directory, long Threshold = ParallelRanges.DefaultThreshold, int Parts = ParallelRanges.DefaultParts)
{
    public const long DefaultThreshold = 64L << 20;

    public const int DefaultParts = 4;
}
