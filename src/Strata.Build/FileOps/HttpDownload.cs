using Strata.Core;

namespace Strata.Build.FileOps;

/// <summary>A fetched URL: the stored file, its digest, its Last-Modified, and whether a 304 reused it.</summary>
public sealed record HttpDownload(string Path, Digest Digest, DateTimeOffset? LastModified, bool FromCache);
