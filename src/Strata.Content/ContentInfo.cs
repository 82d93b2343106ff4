using Strata.Core;

namespace Strata.Content;

/// <summary>A committed blob: its digest, exact size and when it was committed.</summary>
public sealed record ContentInfo(Digest Digest, long Size, DateTimeOffset CommittedAt);
