using System.Globalization;
using Strata.Core;

namespace Strata.Build.FileOps;

/// <summary>What is remembered of a URL's last download (a small text file beside the content).</summary>
internal sealed record HttpCacheEntry(Digest Digest, string? ETag, DateTimeOffset? LastModified)
{
    private const string FileName = "entry";

    /// <summary>How a new entry file starts while it is written beside the old one.</summary>
    public const string StagingPrefix = FileName + "-";

    public static async Task<HttpCacheEntry?> ReadAsync(string dir, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        if (lines.Length < 3 || !Digest.TryParse(lines[0], out var digest) || !File.Exists(Path.Combine(dir, digest.Encoded))) return null;
        DateTimeOffset? lastModified = long.TryParse(lines[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
        return new HttpCacheEntry(digest, lines[1].Length > 0 ? lines[1] : null, lastModified);
    }

    public async Task WriteAsync(string dir, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(dir, StagingPrefix + Guid.NewGuid().ToString("N"));
        var text = $"{Digest}\n{ETag}\n{LastModified?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\n";
        await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
        File.Move(temp, Path.Combine(dir, FileName), overwrite: true);
    }
}
