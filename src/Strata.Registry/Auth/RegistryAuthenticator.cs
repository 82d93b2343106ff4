using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Registry.Transport;

namespace Strata.Registry.Auth;

/// <summary>
/// Answers a registry's 401 challenges: Basic with the registry's credential; Bearer with a token
/// from the challenge's realm (GET with the credential as Basic, or anonymous; an identity token
/// is exchanged by OAuth2's refresh_token grant), cached per registry and scope until it
/// expires. Credentials and tokens live only in request headers and this cache: no message
/// this class makes ever quotes them.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private readonly ICredentialProvider? _credentials;
    private readonly Func<Uri, HttpClient> _http;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (AuthenticationHeaderValue Header, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <param name="http">The client for a realm (a registry's own when the realm is on it, for its TLS settings).</param>
    public RegistryAuthenticator(ICredentialProvider? credentials, Func<Uri, HttpClient> http, TimeProvider time)
    {
        _credentials = credentials;
        _http = http;
        _time = time;
    }

    /// <summary>The header already earned for <paramref name="scope"/> on <paramref name="domain"/>, if still valid.</summary>
    public AuthenticationHeaderValue? Cached(string domain, string scope)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(Key(domain, scope), out var scoped) && scoped.Expires > now) return scoped.Header;
        if (_cache.TryGetValue(Key(domain, "*"), out var basic) && basic.Expires > now) return basic.Header;
        return null;
    }

    /// <summary>
    /// The header that answers <paramref name="challenge"/>, cached; null when there is nothing
    /// to answer with (Basic without a credential). <paramref name="given"/> overrides the stored
    /// credential (login checks the one typed).
    /// </summary>
    public async Task<AuthenticationHeaderValue?> AnswerAsync(string domain, Uri registry, AuthChallenge challenge, string scope, Credential? given, string what, CancellationToken cancellationToken)
    {
        var credential = given ?? (_credentials is null ? null : await _credentials.GetAsync(domain, cancellationToken).ConfigureAwait(false));
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credential?.Username is null || credential.Secret is null) return null;
            var basic = BasicHeader(credential);
            _cache[Key(domain, "*")] = (basic, DateTimeOffset.MaxValue);
            return basic;
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return null;
        var realmText = challenge.Parameter("realm") ?? throw new RegistryException($"{what}: {domain} asks for a bearer token but names no realm");
        if (!Uri.TryCreate(realmText, UriKind.Absolute, out var realm))
            throw new RegistryException($"{what}: {domain} names a token realm that is not an address");
        if (await RealmCheck.RefusalAsync(realm, registry, cancellationToken).ConfigureAwait(false) is { } refusal)
            throw new RegistryException($"{what}: {domain} names the token realm {realm.GetLeftPart(UriPartial.Path)}, which is refused: {refusal}");
        var effectiveScope = challenge.Parameter("scope") ?? scope;
        var (token, lifetime) = await TokenAsync(realm, challenge.Parameter("service"), effectiveScope, credential, what, cancellationToken).ConfigureAwait(false);
        var header = new AuthenticationHeaderValue("Bearer", token);
        // A little early, so a token never expires between the cache and the registry.
        _cache[Key(domain, scope)] = (header, _time.GetUtcNow() + lifetime - TimeSpan.FromSeconds(10));
        return header;
    }

    private async Task<(string Token, TimeSpan Lifetime)> TokenAsync(Uri realm, string? service, string scope, Credential? credential, string what, CancellationToken cancellationToken)
    {
        using var request = credential?.IdentityToken is { } refresh
            ? new HttpRequestMessage(HttpMethod.Post, realm)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "refresh_token"), new("refresh_token", refresh), new("client_id", "strata"),
                    new("service", service ?? ""), new("scope", scope),
                ]),
            }
            : new HttpRequestMessage(HttpMethod.Get, WithQuery(realm, service, scope));
        if (credential?.IdentityToken is null && credential?.Username is not null && credential.Secret is not null)
            request.Headers.Authorization = BasicHeader(credential);
        HttpResponseMessage response;
        try
        {
            response = await _http(realm).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{what}: cannot reach the token server {realm.Authority}: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new RegistryException($"{what}: unauthorized: the token server {realm.Authority} refused {(credential is null ? "anonymous access" : "the credentials")} ({(int)response.StatusCode})", response.StatusCode, "UNAUTHORIZED");
            if (!response.IsSuccessStatusCode)
                throw new RegistryException($"{what}: the token server {realm.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode, null);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            TokenResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.TokenResponse);
            }
            catch (JsonException)
            {
                parsed = null;
            }
            var token = parsed?.Token ?? parsed?.AccessToken;
            if (string.IsNullOrEmpty(token)) throw new RegistryException($"{what}: the token server {realm.Authority} gave no token");
            // The spec's default lifetime is 60 seconds.
            return (token, TimeSpan.FromSeconds(parsed!.ExpiresIn is int s and > 0 ? s : 60));
        }
    }

    private static Uri WithQuery(Uri realm, string? service, string scope)
    {
        var builder = new UriBuilder(realm);
        var parts = new List<string>();
        if (builder.Query.Length > 1) parts.Add(builder.Query.TrimStart('?'));
        if (service is not null) parts.Add("service=" + Uri.EscapeDataString(service));
        // A challenge may ask for several scopes at once (a mount: this repository and the source), space-separated; the token API takes one parameter each.
        foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)) parts.Add("scope=" + Uri.EscapeDataString(one));
        builder.Query = string.Join('&', parts);
        return builder.Uri;
    }

    private static AuthenticationHeaderValue BasicHeader(Credential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));

    private static string Key(string domain, string scope) => domain + "|" + scope;
}
