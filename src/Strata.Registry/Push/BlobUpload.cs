using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Strata.Core;
using Strata.Registry.Transport;

namespace Strata.Registry.Push;

/// <summary>
/// One blob into one repository, the distribution spec's way: HEAD first (the registry may have
/// it), a cross-repository mount when the blob is known in another repository, else an upload
/// session: one monolithic PUT, or PATCH chunks then a closing PUT. An upload whose request is
/// cut is not restarted from zero: the session's status (<c>GET</c> on the upload URL, its
/// <c>Range</c>) says how much the registry kept, and the blob is read again from the source past
/// that offset and sent on from there (PATCH the rest, then the closing PUT). A registry that
/// lost the session instead (distribution refuses a session whose last request was cut after
/// some of its bytes arrived) gets the blob again in a new session, unless the cut request was
/// the one that completed it.
/// </summary>
internal sealed class BlobUpload
{
    private const int MaxResumes = 5;
    private const int ResumeChunkBytes = 8 << 20;
    private readonly RegistryClient _client;
    private readonly ImageReference _repository;
    private readonly PushOptions _options;
    private readonly Action<Descriptor, long>? _resumed;

    /// <param name="resumed">Told when a cut upload goes on, with the registry's offset (0: a new session).</param>
    public BlobUpload(RegistryClient client, ImageReference repository, PushOptions options, Action<Descriptor, long>? resumed)
    {
        _client = client;
        _repository = repository;
        _options = options;
        _resumed = resumed;
    }

    /// <param name="sent">Told how many bytes of the blob went out so far (progress); null: nobody asks.</param>
    public async Task<(BlobPushState State, string? From)> PushAsync(Descriptor blob, Func<CancellationToken, Task<Stream>> open, string what, Action<long>? sent, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(blob, what, cancellationToken).ConfigureAwait(false)) return (BlobPushState.AlreadyExists, null);
        Uri session;
        long minChunk = 0;
        var from = _options.KnownSource(blob.Digest);
        if (from is not null && from != _repository.Path)
        {
            var mount = await _client.ApiUriAsync(_repository, $"blobs/uploads/?mount={blob.Digest}&from={Uri.EscapeDataString(from)}", cancellationToken).ConfigureAwait(false);
            using var response = await _client.SendAsync(_repository, () => new HttpRequestMessage(HttpMethod.Post, mount) { Content = new ByteArrayContent([]) }, mount, what, cancellationToken, followRedirects: false).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Created) return (BlobPushState.Mounted, from);
            // 202: the registry could not mount (the blob is gone there, or no access) and opened an upload instead.
            if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
            (session, minChunk) = SessionOf(response, mount, what);
        }
        else
        {
            (session, minChunk) = await NewSessionAsync(what, cancellationToken).ConfigureAwait(false);
        }
        long? chunkSize = _options.ChunkSize is long chunk ? Math.Max(chunk, minChunk) : null;
        if (chunkSize < 1) throw new InvalidArgumentException($"chunk size must be at least 1 byte, not {chunkSize}");
        long offset = 0;
        // Each answered chunk moves the session on (a new Location); a cut one asks the latest.
        var current = new Session(session);
        for (int resumes = 0; ; resumes++)
        {
            var data = await open(cancellationToken).ConfigureAwait(false);
            await using (data.ConfigureAwait(false))
            {
                try
                {
                    await SkipAsync(data, offset, blob, what, cancellationToken).ConfigureAwait(false);
                    var counted = sent is null ? data : new CountingReadStream(data, sent, offset);
                    if (chunkSize is long size)
                        await ChunkedAsync(blob, counted, current, offset, size, what, cancellationToken).ConfigureAwait(false);
                    else if (offset == 0)
                        await MonolithicAsync(blob, counted, current.Location, what, cancellationToken).ConfigureAwait(false);
                    else
                        // A monolithic upload resumed mid-blob: the rest as chunks (bounded memory), then the closing PUT.
                        await ChunkedAsync(blob, counted, current, offset, ResumeChunkBytes, what, cancellationToken).ConfigureAwait(false);
                    return (BlobPushState.Pushed, null);
                }
                catch (RegistryException e) when (e.InnerException is HttpRequestException && resumes < MaxResumes)
                {
                    // Cut: ask the registry what it kept and go on from there.
                    var status = await StatusAsync(current.Location, what, cancellationToken).ConfigureAwait(false);
                    if (status is { } kept)
                    {
                        (current.Location, offset) = kept;
                        if (offset > blob.Size) throw new RegistryException($"{what}: the registry says it kept {offset} bytes of a {blob.Size}-byte blob", e);
                    }
                    else
                    {
                        // The session is gone: the cut request may have been the closing PUT that the registry carried out.
                        if (await ExistsAsync(blob, what, cancellationToken).ConfigureAwait(false)) return (BlobPushState.Pushed, null);
                        (current.Location, _) = await NewSessionAsync(what, cancellationToken).ConfigureAwait(false);
                        offset = 0;
                    }
                    _resumed?.Invoke(blob, offset);
                }
            }
        }
    }

    private async Task<(Uri Session, long MinChunk)> NewSessionAsync(string what, CancellationToken cancellationToken)
    {
        var start = await _client.ApiUriAsync(_repository, "blobs/uploads/", cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(_repository, () => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) }, start, what, cancellationToken, followRedirects: false).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        return SessionOf(response, start, what);
    }

    private async Task<bool> ExistsAsync(Descriptor blob, string what, CancellationToken cancellationToken)
    {
        var uri = await _client.ApiUriAsync(_repository, $"blobs/{blob.Digest}", cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(_repository, () => new HttpRequestMessage(HttpMethod.Head, uri), uri, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads past the <paramref name="count"/> bytes the registry already holds (the source is read forward only).</summary>
    private static async Task SkipAsync(Stream data, long count, Descriptor blob, string what, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        var buffer = new byte[(int)Math.Min(count, 1 << 20)];
        while (count > 0)
        {
            int n = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new DigestMismatchException($"{what}: the blob ended before the {blob.Size} bytes its descriptor says");
            count -= n;
        }
    }

    private async Task MonolithicAsync(Descriptor blob, Stream data, Uri session, string what, CancellationToken cancellationToken)
    {
        var content = new StreamContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = blob.Size;
        using var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = content };
        using var response = await _client.SendOnceAsync(_repository, request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blob from <paramref name="offset"/> on (where <paramref name="data"/> stands) in PATCH chunks, then the closing PUT.</summary>
    private async Task ChunkedAsync(Descriptor blob, Stream data, Session session, long offset, long chunkSize, string what, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(chunkSize, Math.Max(blob.Size - offset, 1))];
        while (offset < blob.Size)
        {
            int length = (int)Math.Min(buffer.Length, blob.Size - offset);
            int read = await data.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read != length) throw new DigestMismatchException($"{what}: the blob ended after {offset + read} bytes, its descriptor says {blob.Size}");
            session.Location = await SendChunkAsync(session.Location, buffer, offset, length, what, cancellationToken).ConfigureAwait(false);
            offset += length;
        }
        // One more read reaches the end, where the source checks the digest.
        if (await data.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            throw new DigestMismatchException($"{what}: the blob is longer than the {blob.Size} bytes its descriptor says");
        using var close = new HttpRequestMessage(HttpMethod.Put, WithDigest(session.Location, blob.Digest)) { Content = new ByteArrayContent([]) };
        using var response = await _client.SendOnceAsync(_repository, close, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One PATCH of <c>buffer[0..length)</c>, the blob's bytes from <paramref name="start"/>; the next request's URL.</summary>
    private async Task<Uri> SendChunkAsync(Uri session, byte[] buffer, long start, int length, string what, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(buffer, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Patch, session) { Content = content };
        // The distribution spec's Content-Range for chunks is "START-END" (no unit), not RFC 9110's.
        request.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{start}-{start + length - 1}"));
        using var response = await _client.SendOnceAsync(_repository, request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        return Next(response, session, what);
    }

    /// <summary>
    /// The upload session's status: its URL and how many bytes the registry holds
    /// (<c>Range: 0-END</c>); null when the registry no longer knows the session
    /// (<c>BLOB_UPLOAD_UNKNOWN</c> or <c>BLOB_UPLOAD_INVALID</c>).
    /// </summary>
    private async Task<(Uri Session, long Kept)?> StatusAsync(Uri session, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, session);
        using var response = await _client.SendOnceAsync(_repository, request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent) return (Next(response, session, what), KeptOf(response));
        var error = await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        if (error.Code is "BLOB_UPLOAD_UNKNOWN" or "BLOB_UPLOAD_INVALID" || response.StatusCode == HttpStatusCode.NotFound) return null;
        throw error;
    }

    /// <summary>
    /// How many bytes <c>Range: 0-END</c> says the registry holds. distribution answers
    /// <c>0-0</c> for an empty session too, so <c>0-0</c> is read as nothing kept: a registry that
    /// really held one byte refuses the resent one (or the closing digest check does), while
    /// skipping a byte the registry lacks could never succeed.
    /// </summary>
    private static long KeptOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values)) return 0;
        var range = values.First();
        int dash = range.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end > 0 ? end + 1 : 0;
    }

    private static (Uri Session, long MinChunk) SessionOf(HttpResponseMessage response, Uri request, string what)
    {
        long min = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values)
            && long.TryParse(values.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return (Next(response, request, what), min);
    }

    private static Uri Next(HttpResponseMessage response, Uri request, string what)
    {
        var location = response.Headers.Location ?? throw new RegistryException($"{what}: the registry answered {(int)response.StatusCode} without an upload Location");
        var next = location.IsAbsoluteUri ? location : new Uri(request, location);
        if (next.Authority != request.Authority || next.Scheme != request.Scheme)
            throw new RegistryException($"{what}: the registry moved the upload to another host ({next.Authority}), which is refused");
        return next;
    }

    private static Uri WithDigest(Uri session, Digest digest)
    {
        var builder = new UriBuilder(session);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + "digest=" + Uri.EscapeDataString(digest.ToString());
        return builder.Uri;
    }

    /// <summary>Where an upload session stands: the URL its next request goes to.</summary>
    private sealed class Session(Uri location)
    {
        public Uri Location { get; set; } = location;
    }
}
