using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Strata.Content;
using Strata.Core;
using Strata.Registry.Auth;
using Strata.Registry.References;

namespace Strata.Registry.Transport;

/// <summary>
/// A distribution-spec client over one <see cref="HttpClient"/>: manifests (GET/HEAD/PUT) with
/// content negotiation and size caps, blobs streamed and verified, uploads. Redirects are
/// followed by hand so that a redirect never downgrades https to http and (once credentials
/// exist) never carries them to another host. Each registry's scheme is found once per client:
/// https, or plain http for a loopback or insecure registry whose https does not answer.
/// Thread-safe: pulls and pushes send requests concurrently.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    // Registries get a client each (their certs.d TLS settings); other hosts (redirect targets, token realms) share one.
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, HttpClient> _registries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<Uri>>> _bases = new(StringComparer.Ordinal);
    private readonly RegistryAuthenticator _auth;
    private readonly Polly.ResiliencePipeline<HttpResponseMessage> _retry;

    public RegistryClient(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _http = NewClient(null);
        _retry = RetryPipeline.Create(options);
        _auth = new RegistryAuthenticator(options.Credentials, realm => _registries.TryGetValue(realm.Authority, out var own) ? own : _http, options.Time);
    }

    public RegistryOptions Options { get; }

    /// <summary>The manifest or index <paramref name="reference"/> (a tag or digest) names in <paramref name="repository"/>, checked against <paramref name="expected"/> when given.</summary>
    public async Task<ManifestResponse> GetManifestAsync(ImageReference repository, string reference, Descriptor? expected, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var uri = await ApiUriAsync(repository, $"manifests/{reference}", cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(repository, () => ManifestRequest(HttpMethod.Get, uri), uri, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) throw await ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadCappedAsync(response.Content, Options.MaxDocumentBytes, what, cancellationToken).ConfigureAwait(false);
        var mediaType = ManifestMediaType.Resolve(response.Content.Headers.ContentType?.MediaType, bytes, what);
        var actual = Digest.Compute(bytes);
        var descriptor = new Descriptor(mediaType, actual, bytes.Length);
        if (expected is not null)
        {
            if (expected.Digest != actual) throw new DigestMismatchException(expected.Digest, actual, what);
            if (expected.Size != bytes.Length) throw new DigestMismatchException($"{what}: {actual} is {bytes.Length} bytes, its descriptor says {expected.Size}");
            if (expected.MediaType != mediaType) throw new InvalidArgumentException($"{what}: {actual} is served as {mediaType} but its descriptor says {expected.MediaType}");
        }
        else if (Digest.TryParse(reference, out var pinned) && pinned != actual)
        {
            throw new DigestMismatchException(pinned, actual, what);
        }
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var said) && Digest.TryParse(said.FirstOrDefault(), out var claimed)
            && claimed.Algorithm == Digest.Sha256 && claimed != actual)
            throw new DigestMismatchException(claimed, actual, $"{what} (Docker-Content-Digest)");
        return new ManifestResponse(descriptor, bytes);
    }

    /// <summary>The descriptor of the manifest <paramref name="reference"/> names, from a HEAD; null when the registry has none.</summary>
    public async Task<Descriptor?> HeadManifestAsync(ImageReference repository, string reference, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var uri = await ApiUriAsync(repository, $"manifests/{reference}", cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(repository, () => ManifestRequest(HttpMethod.Head, uri), uri, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode != HttpStatusCode.OK) throw await ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        var type = response.Content.Headers.ContentType?.MediaType;
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var said) || !Digest.TryParse(said.FirstOrDefault(), out var digest)
            || type is null || response.Content.Headers.ContentLength is not long length)
            return null;
        return new Descriptor(type, digest, length);
    }

    /// <summary>
    /// A blob as a stream that verifies its digest and size at its end (<see cref="VerifyingReadStream"/>),
    /// resumed with <c>Range</c> where its connection breaks (<see cref="ResumingBlobStream"/>).
    /// </summary>
    public Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor blob, string what, CancellationToken cancellationToken) =>
        OpenBlobAsync(repository, blob, null, what, cancellationToken);

    /// <summary>
    /// A blob as a verifying stream, resumed where its connection breaks; when
    /// <paramref name="ranges"/> is given and the blob is bigger than its threshold, fetched as
    /// several range requests at once (<see cref="RangedBlobStream"/>), or as one stream when the
    /// registry answers the first range with the whole blob.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor blob, ParallelRanges? ranges, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var bytes = await OpenUnhashedBlobAsync(repository, blob, ranges, what, cancellationToken).ConfigureAwait(false);
        return new VerifyingReadStream(bytes, blob.Digest, blob.Size, what);
    }

    /// <summary>
    /// As <see cref="OpenBlobAsync(ImageReference, Descriptor, ParallelRanges?, string, CancellationToken)"/>
    /// but not hashed: exactly the descriptor's size (a body that stops short is resumed, one that
    /// goes on past it is refused as it arrives), for a caller that hashes every byte it takes
    /// anyway and refuses a wrong digest before anything is committed (the store's ingest). The
    /// digest is then computed once per byte, not twice.
    /// </summary>
    internal async Task<Stream> OpenUnhashedBlobAsync(ImageReference repository, Descriptor blob, ParallelRanges? ranges, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blob);
        int maxBreaks = Math.Max(1, Options.MaxRetries);
        if (ranges is { Parts: > 1 } && blob.Size > ranges.Threshold)
        {
            long partSize = (blob.Size + ranges.Parts - 1) / ranges.Parts;
            var (first, honoured) = await OpenRangeAsync(repository, blob, 0, partSize - 1, what, cancellationToken).ConfigureAwait(false);
            if (!honoured) return Resuming(repository, blob, first, maxBreaks, what);
            Microsoft.Win32.SafeHandles.SafeFileHandle file;
            try
            {
                file = ScratchFile(ranges.Directory, blob.Size);
            }
            catch
            {
                await first.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new RangedBlobStream(file, blob.Size, ranges.Parts, first,
                async (from, to, ct) => (await OpenRangeAsync(repository, blob, from, to, what, ct).ConfigureAwait(false)).Body, maxBreaks, what);
        }
        var (body, _) = await OpenRangeAsync(repository, blob, 0, null, what, cancellationToken).ConfigureAwait(false);
        return Resuming(repository, blob, body, maxBreaks, what);
    }

    private ResumingBlobStream Resuming(ImageReference repository, Descriptor blob, Stream first, int maxBreaks, string what) =>
        new(first, async (from, ct) => (await OpenRangeAsync(repository, blob, from, null, what, ct).ConfigureAwait(false)).Body, 0, blob.Size, maxBreaks, what);

    /// <summary>
    /// The blob's bytes from <paramref name="from"/> to <paramref name="to"/> (inclusive; null:
    /// its end), positioned at <paramref name="from"/>. Asked with <c>Range: bytes=FROM-[TO]</c>
    /// unless it is the whole blob: a 206 must carry exactly the Content-Range asked for; a 200
    /// (a registry, proxy or object store that ignores ranges) is the whole blob, read past its
    /// first <paramref name="from"/> bytes. <c>Ranged</c> says which it was.
    /// </summary>
    internal async Task<(Stream Body, bool Ranged)> OpenRangeAsync(ImageReference repository, Descriptor blob, long from, long? to, string what, CancellationToken cancellationToken)
    {
        var uri = await ApiUriAsync(repository, $"blobs/{blob.Digest}", cancellationToken).ConfigureAwait(false);
        bool ask = from > 0 || to is not null;
        var response = await SendAsync(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (ask) request.Headers.Range = new RangeHeaderValue(from, to);
            return request;
        }, uri, what, cancellationToken).ConfigureAwait(false);
        try
        {
            if (ask && response.StatusCode == HttpStatusCode.PartialContent)
            {
                long end = to ?? blob.Size - 1;
                var range = response.Content.Headers.ContentRange;
                if (range is null || !range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || range.From != from || range.To != end
                    || (range.Length is long total && total != blob.Size))
                    throw new RegistryException($"{what}: asked for bytes {from}-{end} of {blob.Size}, the registry answered 206 with Content-Range \"{range}\"");
                var part = new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                response = null;
                return (part, true);
            }
            if (response.StatusCode != HttpStatusCode.OK) throw await ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is long length && length != blob.Size)
                throw new DigestMismatchException($"{what}: the registry serves {length} bytes, the descriptor says {blob.Size}");
            var whole = new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            response = null;
            try
            {
                await SkipAsync(whole, from, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await whole.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return (whole, false);
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes (what a 200 repeats of a blob already received).</summary>
    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (count > 0)
            {
                int n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException($"the body ended {count} bytes before the offset to resume from");
                count -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A scratch file of <paramref name="size"/> bytes (allocated up front), unlinked at once:
    /// only the handle keeps it, so a killed pull leaves nothing in <paramref name="directory"/>.
    /// </summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle ScratchFile(string directory, long size)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "download-" + Guid.NewGuid().ToString("N"));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous, size);
        File.Delete(path);
        return handle;
    }

    /// <summary>A small blob (a config) whole, verified, within the document size limit.</summary>
    public async Task<byte[]> ReadBlobAsync(ImageReference repository, Descriptor blob, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Size > Options.MaxDocumentBytes)
            throw new InvalidArgumentException($"{what}: {blob.Digest} is {blob.Size} bytes, more than the {Options.MaxDocumentBytes}-byte document limit");
        var stream = await OpenBlobAsync(repository, blob, what, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream((int)blob.Size);
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary><c>https://HOST/v2/NAME/SUFFIX</c> (or http for a loopback or insecure registry).</summary>
    internal async Task<Uri> ApiUriAsync(ImageReference repository, string suffix, CancellationToken cancellationToken)
    {
        // Every request about a name passes here: a name registries.conf blocks is refused before any is sent.
        Options.Registries.ThrowIfBlocked(repository);
        var root = await BaseAsync(repository.Domain, cancellationToken).ConfigureAwait(false);
        return new Uri(root, $"/v2/{repository.Path}/{suffix}");
    }

    /// <summary>
    /// Sends a request to <paramref name="repository"/>'s registry, answering a 401 challenge once
    /// (<see cref="RegistryAuthenticator"/>), and follows redirects by hand when
    /// <paramref name="followRedirects"/> (<paramref name="make"/> builds a fresh request: a
    /// request cannot be sent twice). Authorization goes only to the registry's own scheme, host
    /// and port, never to a redirect target elsewhere (object storage gets a signed URL, not our
    /// credentials). Bodies are read by the caller (headers-read completion), so blobs stream.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(ImageReference repository, Func<HttpRequestMessage> make, Uri uri, string what, CancellationToken cancellationToken, bool followRedirects = true)
    {
        var registry = await BaseAsync(repository.Domain, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {
            var response = await SendFollowingAsync(repository, registry, make, uri, what, followRedirects, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0) return response;
            var challenge = AuthChallenge.From(response.Headers);
            if (challenge is null) return response;
            using var probe = make();
            var header = await _auth.AnswerAsync(repository.Domain, registry, challenge, ScopeOf(repository, probe.Method), null, what, cancellationToken).ConfigureAwait(false);
            if (header is null) return response;
            response.Dispose();
        }
    }

    /// <summary>
    /// Checks <paramref name="credential"/> against <paramref name="domain"/>'s registry
    /// (<c>GET /v2/</c> answered with it), as <c>docker login</c> does before storing anything.
    /// </summary>
    /// <exception cref="RegistryException">The registry or its token server refuses it: one line, no secret.</exception>
    public async Task LoginAsync(string domain, Credential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(credential);
        var registry = await BaseAsync(domain, cancellationToken).ConfigureAwait(false);
        var ping = new Uri(registry, "/v2/");
        var what = $"login to {domain}";
        var http = ClientFor(registry);
        using (var first = await SendRawAsync(http, new HttpRequestMessage(HttpMethod.Get, ping), what, cancellationToken).ConfigureAwait(false))
        {
            if (first.StatusCode == HttpStatusCode.OK) return;
            var challenge = first.StatusCode == HttpStatusCode.Unauthorized ? AuthChallenge.From(first.Headers) : null;
            if (challenge is null) throw await ErrorAsync(first, what, cancellationToken).ConfigureAwait(false);
            var header = await _auth.AnswerAsync(domain, registry, challenge, "", credential, what, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException($"{what}: the registry asks for {challenge.Scheme} authentication, which a user name and password cannot answer");
            using var again = new HttpRequestMessage(HttpMethod.Get, ping);
            again.Headers.Authorization = header;
            using var second = await SendRawAsync(http, again, what, cancellationToken).ConfigureAwait(false);
            if (second.StatusCode != HttpStatusCode.OK) throw await ErrorAsync(second, what, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendFollowingAsync(ImageReference repository, Uri registry, Func<HttpRequestMessage> make, Uri uri, string what, bool followRedirects, CancellationToken cancellationToken)
    {
        var current = uri;
        for (int hop = 0; ; hop++)
        {
            var target = current;
            // Each attempt sends a fresh request (one cannot be sent twice).
            var response = await _retry.ExecuteAsync(async ct =>
            {
                using var request = make();
                request.RequestUri = target;
                if (SameOrigin(target, registry))
                    request.Headers.Authorization = _auth.Cached(repository.Domain, ScopeOf(repository, request.Method));
                return await SendRawAsync(SameOrigin(target, registry) ? ClientFor(registry) : _http, request, what, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (!followRedirects || !IsRedirect(response.StatusCode)) return response;
            using (response)
            {
                if (hop == Options.MaxRedirects) throw new RegistryException($"{what}: more than {Options.MaxRedirects} redirects from {uri.Authority}");
                var location = response.Headers.Location ?? throw new RegistryException($"{what}: redirect ({(int)response.StatusCode}) without a Location from {current.Authority}");
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
                    throw new RegistryException($"{what}: {current.Authority} redirects to a {next.Scheme} address, which is refused");
                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                    throw new RegistryException($"{what}: {current.Authority} redirects from https to plain http ({next.Authority}), which is refused");
                current = next;
            }
        }
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is StrataException inner)
        {
            // The body's own failure (a blob that did not match its digest as it was read).
            throw inner;
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{what}: cannot reach {request.RequestUri?.Authority}: {e.Message}", e);
        }
    }

    /// <summary>docker's token scopes: reads need pull, anything else push too.</summary>
    private static string ScopeOf(ImageReference repository, HttpMethod method) =>
        $"repository:{repository.Path}:" + (method == HttpMethod.Get || method == HttpMethod.Head ? "pull" : "pull,push");

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private HttpClient ClientFor(Uri registry) => _registries.GetOrAdd(registry.Authority, authority => NewClient(authority));

    private HttpClient NewClient(string? registryAuthority)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (registryAuthority is not null) RegistryTls.Configure(handler, Options.CertsDirectory, registryAuthority);
        if (registryAuthority is not null && Options.Registries.IsInsecure(registryAuthority))
        {
            // registries.conf marks this registry insecure: its certificate is not checked, as podman and skopeo do.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
        return http;
    }

    /// <summary>
    /// Sends a request with a body that cannot be sent twice (an upload), once, with the
    /// authorization already earned for the repository (the upload session's POST earned it);
    /// the spec answers uploads with 202 + Location, never a redirect.
    /// </summary>
    internal async Task<HttpResponseMessage> SendOnceAsync(ImageReference repository, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        var registry = await BaseAsync(repository.Domain, cancellationToken).ConfigureAwait(false);
        if (!SameOrigin(request.RequestUri!, registry)) throw new RegistryException($"{what}: the upload moved to another host ({request.RequestUri!.Authority}), which is refused");
        request.Headers.Authorization = _auth.Cached(repository.Domain, ScopeOf(repository, request.Method));
        return await SendRawAsync(ClientFor(registry), request, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The registry's error as one line: the reference, the spec code and message, else the HTTP status.</summary>
    internal static async Task<RegistryException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        RegistryErrorBody? body = null;
        try
        {
            var bytes = await ReadCappedAsync(response.Content, 64 << 10, what, cancellationToken).ConfigureAwait(false);
            if (bytes.Length > 0) body = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.RegistryErrorBody);
        }
        catch (JsonException)
        {
            // Not a spec error body (a proxy's HTML page): the status says it.
        }
        catch (InvalidArgumentException)
        {
            // An oversized error body: the status says it.
        }
        var first = body?.Errors?.FirstOrDefault(e => e.Code is not null);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var message = first is null
            ? $"{what}: {DefaultMessage(response.StatusCode)} (HTTP {status})"
            : $"{what}: {first.Code}: {first.Message ?? DefaultMessage(response.StatusCode)}";
        return new RegistryException(message, response.StatusCode, first?.Code);
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _registries.Values) client.Dispose();
    }

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in ManifestMediaType.Accepted) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Task<Uri> BaseAsync(string domain, CancellationToken cancellationToken) =>
        _bases.GetOrAdd(domain, d => new Lazy<Task<Uri>>(() => PingAsync(d, cancellationToken))).Value;

    /// <summary>
    /// Finds the scheme: <c>GET /v2/</c> over https answers (any status: 401 is an answer), else,
    /// for a registry allowed plain http, over http. Docker does the same for insecure registries.
    /// </summary>
    private async Task<Uri> PingAsync(string domain, CancellationToken cancellationToken)
    {
        var host = RegistryHost.EndpointOf(domain);
        var https = new Uri($"https://{host}/");
        try
        {
            using var response = await ClientFor(https).GetAsync(new Uri(https, "/v2/"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return https;
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException tls && tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            // A TLS server we do not trust: never an excuse to fall back to plain http.
            throw new RegistryException($"{domain}: the registry's TLS certificate is not trusted ({tls.Message.TrimEnd('.')}): put its CA in {Options.CertsDirectory ?? "certs.d"}/{host}/ca.crt", e);
        }
        catch (HttpRequestException e)
        {
            if (!PlainHttpAllowed(host)) throw new RegistryException($"{domain}: cannot reach the registry at {https}: {e.Message}", e);
        }
        var http = new Uri($"http://{host}/");
        try
        {
            using var response = await ClientFor(http).GetAsync(new Uri(http, "/v2/"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return http;
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{domain}: cannot reach the registry over https or http: {e.Message}", e);
        }
    }

    private bool PlainHttpAllowed(string host) =>
        RegistryHost.IsLoopback(host) || Options.InsecureRegistries.Contains(host, StringComparer.OrdinalIgnoreCase) || Options.Registries.IsInsecure(host);

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string DefaultMessage(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "not found",
        HttpStatusCode.Unauthorized => "unauthorized: authentication required",
        HttpStatusCode.Forbidden => "denied: access forbidden",
        HttpStatusCode.TooManyRequests => "too many requests",
        _ => "the registry refused the request",
    };

    /// <summary>A body of at most <paramref name="cap"/> bytes; a longer one is refused before it is all read.</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long cap, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is long announced && announced > cap)
            throw new InvalidArgumentException($"{what}: the registry announces {announced} bytes, more than the {cap}-byte document limit");
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > cap) throw new InvalidArgumentException($"{what}: the registry sent more than the {cap}-byte document limit");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
    }
}
