using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Strata.Core;
using Strata.Registry.Transport;

namespace Strata.Registry.Push;

/// <summary>
/// One blob into one repository, the distribution spec's way: HEAD first (the registry may have
/// it), a cross-repository mount when the blob is known in another repository, else an upload
/// session: one monolithic PUT, or PATCH chunks then a closing PUT. A chunk whose request is cut
/// is not restarted from zero: the session's status (<c>GET</c> on the upload URL, its
/// <c>Range</c>) says how much the registry kept, and the rest of the chunk follows from there.
/// </summary>
internal sealed class BlobUpload
{
    private const int MaxResumes = 5;
    private readonly RegistryClient _client;
    private readonly ImageReference _repository;
    private readonly PushOptions _options;
    private readonly Action<Descriptor, long>? _resumed;

    /// <param name="resumed">Told when a cut chunk resumes, with the registry's offset.</param>
    public BlobUpload(RegistryClient client, ImageReference repository, PushOptions options, Action<Descriptor, long>? resumed)
    {
        _client = client;
        _repository = repository;
        _options = options;
        _resumed = resumed;
    }

    public async Task<(BlobPushState State, string? From)> PushAsync(Descriptor blob, Func<CancellationToken, Task<Stream>> open, string what, CancellationToken cancellationToken)
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
            var start = await _client.ApiUriAsync(_repository, "blobs/uploads/", cancellationToken).ConfigureAwait(false);
            using var response = await _client.SendAsync(_repository, () => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) }, start, what, cancellationToken, followRedirects: false).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
            (session, minChunk) = SessionOf(response, start, what);
        }
        var data = await open(cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            if (_options.ChunkSize is long chunk)
                await ChunkedAsync(blob, data, session, Math.Max(chunk, minChunk), what, cancellationToken).ConfigureAwait(false);
            else
                await MonolithicAsync(blob, data, session, what, cancellationToken).ConfigureAwait(false);
        }
        return (BlobPushState.Pushed, null);
    }

    private async Task<bool> ExistsAsync(Descriptor blob, string what, CancellationToken cancellationToken)
    {
        var uri = await _client.ApiUriAsync(_repository, $"blobs/{blob.Digest}", cancellationToken).ConfigureAwait(false);
        using var response = await _client.SendAsync(_repository, () => new HttpRequestMessage(HttpMethod.Head, uri), uri, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.StatusCode != HttpStatusCode.OK) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        return true;
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

    private async Task ChunkedAsync(Descriptor blob, Stream data, Uri session, long chunkSize, string what, CancellationToken cancellationToken)
    {
        if (chunkSize < 1) throw new InvalidArgumentException($"chunk size must be at least 1 byte, not {chunkSize}");
        var buffer = new byte[(int)Math.Min(chunkSize, Math.Max(blob.Size, 1))];
        long offset = 0;
        while (offset < blob.Size)
        {
            int length = (int)Math.Min(buffer.Length, blob.Size - offset);
            int read = await data.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read != length) throw new DigestMismatchException($"{what}: the blob ended after {offset + read} bytes, its descriptor says {blob.Size}");
            session = await SendChunkAsync(blob, session, buffer, offset, length, what, cancellationToken).ConfigureAwait(false);
            offset += length;
        }
        // One more read reaches the end, where the source checks the digest.
        if (await data.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            throw new DigestMismatchException($"{what}: the blob is longer than the {blob.Size} bytes its descriptor says");
        using var close = new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = new ByteArrayContent([]) };
        using var response = await _client.SendOnceAsync(_repository, close, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <c>buffer[0..length)</c> (blob bytes from <paramref name="start"/>), resuming from the registry's offset when the request is cut.</summary>
    private async Task<Uri> SendChunkAsync(Descriptor blob, Uri session, byte[] buffer, long start, int length, string what, CancellationToken cancellationToken)
    {
        long sent = start;
        for (int attempt = 0; ; attempt++)
        {
            int skip = (int)(sent - start);
            var content = new ByteArrayContent(buffer, skip, length - skip);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentRange = null;
            using var request = new HttpRequestMessage(HttpMethod.Patch, session) { Content = content };
            // The distribution spec's Content-Range for chunks is "START-END" (no unit), not RFC 9110's.
            request.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{sent}-{start + length - 1}"));
            try
            {
                using var response = await _client.SendOnceAsync(_repository, request, what, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
                return Next(response, session, what);
            }
            catch (RegistryException e) when (e.InnerException is HttpRequestException && attempt < MaxResumes)
            {
                // Cut mid-chunk: ask the registry how much it kept and go on from there.
                (session, var kept) = await StatusAsync(session, what, cancellationToken).ConfigureAwait(false);
                if (kept < start || kept > start + length)
                    throw new RegistryException($"{what}: the registry kept {kept} bytes of the upload, outside the chunk {start}-{start + length - 1} being resent", e);
                sent = kept;
                _resumed?.Invoke(blob, kept);
                if (kept == start + length) return session;
            }
        }
    }

    /// <summary>The upload session's status: its URL and how many bytes the registry holds (<c>Range: 0-END</c>).</summary>
    private async Task<(Uri Session, long Kept)> StatusAsync(Uri session, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, session);
        using var response = await _client.SendOnceAsync(_repository, request, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NoContent) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        return (Next(response, session, what), KeptOf(response));
    }

    private static long KeptOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values)) return 0;
        var range = values.First();
        int dash = range.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end + 1 : 0;
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
}
