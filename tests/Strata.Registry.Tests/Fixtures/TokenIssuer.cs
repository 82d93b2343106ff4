using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A small token server for the registry's <c>auth: token</c>: GET /token with Basic
/// credentials (or none) and <c>scope=repository:NAME:ACTIONS</c> answers an ES256 JWT signed by
/// a key it makes, its certificate in the header's <c>x5c</c> and in the registry's
/// <c>rootcertbundle</c>. The right credentials get what they ask; anonymous gets pull on
/// <c>tok/public</c> only; wrong credentials get 401. Every token issued is remembered so tests
/// can check none leaks.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Issuer = "strata-test-issuer";
    public const string Service = "strata-test-registry";
    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;

    public TokenIssuer(string user, string password)
    {
        User = user;
        Password = password;
        var request = new CertificateRequest("CN=strata token issuer", _key, HashAlgorithmName.SHA256);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string User { get; }

    public string Password { get; }

    public string Realm { get; }

    public ConcurrentBag<string> Issued { get; } = [];

    /// <summary>The PEM the registry's rootcertbundle holds.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _key.Dispose();
        _certificate.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        string? user = null;
        var header = context.Request.Headers["Authorization"];
        if (header is not null && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
            if (pair != $"{User}:{Password}")
            {
                response.StatusCode = 401;
                return;
            }
            user = User;
        }
        var access = new JsonArray();
        foreach (var scope in context.Request.QueryString.GetValues("scope") ?? [])
        {
            var parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository") continue;
            var actions = parts[2].Split(',').Where(a => user is not null || (parts[1] == "tok/public" && a == "pull")).ToArray();
            access.Add((JsonNode)new JsonObject { ["type"] = "repository", ["name"] = parts[1], ["actions"] = new JsonArray(actions.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()) });
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var head = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["x5c"] = new JsonArray((JsonNode?)JsonValue.Create(Convert.ToBase64String(_certificate.RawData))) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = user ?? "", ["aud"] = Service,
            ["exp"] = now + 300, ["nbf"] = now - 30, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(head.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        var token = signingInput + "." + Base64Url(signature);
        Issued.Add(token);
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = token, ["expires_in"] = 300 }.ToJsonString());
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
