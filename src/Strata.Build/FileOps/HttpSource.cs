using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Build.FileOps;

/// <summary>
/// ADD's http(s) sources, with BuildKit's rules: the file is never extracted; it is named by the
/// URL path's last segment (<c>__unnamed__</c> when there is none); mode 0600; mtime from the
/// response's Last-Modified (the Unix epoch without one). Downloads stream to a file while being
/// hashed, into a per-URL cache directory that remembers ETag and Last-Modified, so the next
/// fetch is a conditional request and a 304 reuses the stored file.
/// </summary>
public sealed class HttpSource
{
    /// <summary>BuildKit's name for a URL whose path has no last segment.</summary>
    public const string UnnamedFile = "__unnamed__";

    private const int BufferSize = 64 * 1024;
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromMinutes(30) };

    private readonly string _cacheRoot;

    /// <param name="cacheRoot">Where downloads are kept, one directory per URL (created on demand).</param>
    public HttpSource(string cacheRoot) => _cacheRoot = cacheRoot;

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file name ADD gives a URL's download.</summary>
    public static string FileNameOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return UnnamedFile;
        var path = Uri.UnescapeDataString(uri.AbsolutePath).TrimEnd('/');
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name is "" or "." or ".." ? UnnamedFile : name;
    }

    /// <summary>Parses <c>--checksum=sha256:HEX</c>.</summary>
    public static Digest ParseChecksum(string checksum)
    {
        if (!checksum.StartsWith("sha256:", StringComparison.Ordinal) || checksum.Length != 71 || !checksum[7..].All(Uri.IsHexDigit))
            throw new InvalidArgumentException($"invalid --checksum \"{checksum}\": want sha256: and 64 hex digits");
        return Digest.Parse(checksum.ToLowerInvariant());
    }

    /// <summary>
    /// The URL's current content: a conditional GET when a previous download is remembered (a 304
    /// reuses it), else a full one streamed to disk. Fails on a non-2xx status or network error.
    /// </summary>
    public async Task<HttpDownload> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new InvalidArgumentException($"invalid URL {url}");
        var dir = Path.Combine(_cacheRoot, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url))));
        Directory.CreateDirectory(dir);
        var remembered = await HttpCacheEntry.ReadAsync(dir, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (remembered is not null)
        {
            if (remembered.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
            if (remembered.LastModified is { } lm) request.Headers.IfModifiedSince = lm;
        }
        HttpResponseMessage response;
        try
        {
            response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new StrataException($"failed to fetch {url}: {ex.Message}", ex);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified && remembered is not null)
                return new HttpDownload(Path.Combine(dir, remembered.Digest.Encoded), remembered.Digest, remembered.LastModified, FromCache: true);
            if (!response.IsSuccessStatusCode)
                throw new StrataException($"failed to fetch {url}: invalid response status {(int)response.StatusCode} {response.ReasonPhrase}");
            var temp = Path.Combine(dir, "download-" + Guid.NewGuid().ToString("N"));
            Digest digest;
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                    await using (file.ConfigureAwait(false))
                    {
                        var buffer = new byte[BufferSize];
                        int read;
                        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            hash.AppendData(buffer, 0, read);
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                digest = Digest.FromSha256Bytes(hash.GetHashAndReset());
                // Named by content: concurrent fetches of one URL never see a half-written file.
                File.Move(temp, Path.Combine(dir, digest.Encoded), overwrite: true);
            }
            catch (HttpRequestException ex)
            {
                File.Delete(temp);
                throw new StrataException($"failed to fetch {url}: {ex.Message}", ex);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
            var entry = new HttpCacheEntry(digest, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);
            await entry.WriteAsync(dir, cancellationToken).ConfigureAwait(false);
            if (remembered is not null && remembered.Digest != digest) File.Delete(Path.Combine(dir, remembered.Digest.Encoded));
            return new HttpDownload(Path.Combine(dir, digest.Encoded), digest, entry.LastModified, FromCache: false);
        }
    }

    /// <summary>
    /// Places <paramref name="download"/> in <paramref name="directory"/> as ADD's source file:
    /// named <paramref name="name"/>, mode 0600, mtime Last-Modified (or the epoch).
    /// </summary>
    public static string Stage(HttpDownload download, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(download);
        var path = Path.Combine(directory, name);
        File.Copy(download.Path, path, overwrite: true);
        Libc.Chmod(path, 0x180);
        var mtime = download.LastModified ?? DateTimeOffset.UnixEpoch;
        Libc.Lutimes(path, mtime.ToUnixTimeSeconds(), 0);
        return path;
    }
}

/// <summary>A fetched URL: the stored file, its digest, its Last-Modified, and whether a 304 reused it.</summary>
public sealed record HttpDownload(string Path, Digest Digest, DateTimeOffset? LastModified, bool FromCache);

/// <summary>What is remembered of a URL's last download (a small text file beside the content).</summary>
internal sealed record HttpCacheEntry(Digest Digest, string? ETag, DateTimeOffset? LastModified)
{
    private const string FileName = "entry";

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
        var temp = Path.Combine(dir, FileName + "-" + Guid.NewGuid().ToString("N"));
        var text = $"{Digest}\n{ETag}\n{LastModified?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\n";
        await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
        File.Move(temp, Path.Combine(dir, FileName), overwrite: true);
    }
}
