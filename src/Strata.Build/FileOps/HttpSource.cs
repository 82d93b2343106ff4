using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Strata.Build.Cache.Sources;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Images;

namespace Strata.Build.FileOps;

/// <summary>
/// ADD's http(s) sources, with BuildKit's rules: the file is never extracted; it is named by the
/// URL path's last segment (<c>__unnamed__</c> when there is none); mode 0600; mtime from the
/// response's Last-Modified (the Unix epoch without one). Downloads stream to a file while being
/// hashed, into a per-URL entry of the store's http cache (<see cref="HttpCacheLayout"/>) that
/// remembers ETag and Last-Modified, so the next fetch is a conditional request and a 304 reuses
/// the stored file. The entries are build cache: <c>builder prune</c> removes them, but never one
/// whose lock a build holds, and every read or write of an entry happens under that lock.
/// </summary>
public sealed class HttpSource
{
    /// <summary>BuildKit's name for a URL whose path has no last segment.</summary>
    public const string UnnamedFile = "__unnamed__";

    private const int BufferSize = 64 * 1024;
    private const string DownloadPrefix = "download-";
    private const string UrlStagingPrefix = "url-";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromMinutes(30) };

    private readonly HttpCacheLayout _cache;

    /// <param name="cache">Where downloads are kept, one entry per URL (created on demand).</param>
    public HttpSource(HttpCacheLayout cache) => _cache = cache;

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
    /// Waits while another build fetches the same URL (it then usually gets a 304).
    /// </summary>
    public async Task<HttpDownload> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var uri = Parse(url);
        var key = HttpCacheLayout.KeyOf(url);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        return await FetchLockedAsync(uri, url, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Places <paramref name="download"/> in <paramref name="directory"/> as ADD's source file:
    /// named <paramref name="name"/>, mode 0600, mtime Last-Modified (or the epoch). The copy is
    /// made under the entry's lock. When the file the cache key was computed from is gone since
    /// (a prune removed the entry, or another build stored a newer download), the URL is fetched
    /// again and must give the same digest: the step's key must describe what it adds.
    /// </summary>
    public async Task<string> StageAsync(string url, HttpDownload download, string directory, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(download);
        var uri = Parse(url);
        var key = HttpCacheLayout.KeyOf(url);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(download.Path))
        {
            var again = await FetchLockedAsync(uri, url, key, cancellationToken).ConfigureAwait(false);
            if (again.Digest != download.Digest)
                throw new StrataException($"failed to fetch {url}: its content changed during the build (was {download.Digest}, now {again.Digest})");
            download = again;
        }
        var path = Path.Combine(directory, name);
        File.Copy(download.Path, path, overwrite: true);
        Libc.Chmod(path, 0x180);
        var mtime = download.LastModified ?? DateTimeOffset.UnixEpoch;
        Libc.Lutimes(path, mtime.ToUnixTimeSeconds(), 0);
        return path;
    }

    private static Uri Parse(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new InvalidArgumentException($"invalid URL {url}");

    /// <summary>The entry's exclusive flock, waited for while another build or a prune holds it.</summary>
    private Task<SafeFileHandle> LockAsync(string key, CancellationToken cancellationToken) =>
        EntryLock.AcquireAsync(_cache.LockFile(key), cancellationToken);

    /// <summary>The fetch itself; the caller holds the entry's lock.</summary>
    private async Task<HttpDownload> FetchLockedAsync(Uri uri, string url, string key, CancellationToken cancellationToken)
    {
        // Created under the lock: a prune that removed the entry has finished with it.
        var dir = _cache.EntryDirectory(key);
        Directory.CreateDirectory(dir);
        RemoveUnfinished(dir);
        await TouchUrlAsync(dir, key, url, cancellationToken).ConfigureAwait(false);
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
            var temp = Path.Combine(dir, DownloadPrefix + Guid.NewGuid().ToString("N"));
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
                // Named by content: a file of this name is always complete.
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

    /// <summary>Half-written files of a fetch that was killed: under the lock, no fetch is writing them now.</summary>
    private static void RemoveUnfinished(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(DownloadPrefix, StringComparison.Ordinal) || name.StartsWith(HttpCacheEntry.StagingPrefix, StringComparison.Ordinal)
                || name.StartsWith(UrlStagingPrefix, StringComparison.Ordinal))
                File.Delete(file);
        }
    }

    /// <summary>Records the URL (first fetch) or the time of this use (later ones): what <c>--filter until</c> reads.</summary>
    private async Task TouchUrlAsync(string dir, string key, string url, CancellationToken cancellationToken)
    {
        var urlFile = _cache.UrlFile(key);
        if (File.Exists(urlFile))
        {
            File.SetLastWriteTimeUtc(urlFile, DateTime.UtcNow);
            return;
        }
        // Written in the entry and renamed out, so a listing never reads a half-written URL.
        var staging = Path.Combine(dir, UrlStagingPrefix + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(staging, url, cancellationToken).ConfigureAwait(false);
        File.Move(staging, urlFile, overwrite: true);
    }
}
