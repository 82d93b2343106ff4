using System.Net;
using Strata.Core;
using Strata.Registry.Auth;
using Strata.Registry.Tests.Fixtures;
using Strata.Registry.Transport;

namespace Strata.Registry.Tests.Transport;

/// <summary>Credentials go only to the registry they belong to.</summary>
public sealed class CredentialScopeTests
{
    private sealed class FixedCredentials(Credential credential) : ICredentialProvider
    {
        public Task<Credential?> GetAsync(string registry, CancellationToken cancellationToken) => Task.FromResult<Credential?>(credential);
    }

    private static readonly byte[] Blob = "layer bytes from object storage"u8.ToArray();

    [Fact]
    public async Task A_blob_redirected_to_another_host_gets_no_Authorization_header()
    {
        using var storage = new ScriptedServer((_, _) => Blob);
        using var registry = new ScriptedServer((request, response) =>
        {
            if (request.Headers["Authorization"] is null)
            {
                response.StatusCode = 401;
                response.Headers["WWW-Authenticate"] = "Basic realm=\"test\"";
                return null;
            }
            if (request.Url!.AbsolutePath == "/v2/") return [];
            response.StatusCode = 307;
            response.Headers["Location"] = $"http://{storage.Host}/signed/blob?sig=abc";
            return null;
        });
        using var client = new RegistryClient(new RegistryOptions { Credentials = new FixedCredentials(new Credential("user", "pw-never-elsewhere")), MaxRetries = 0 });
        var reference = ImageReference.Parse($"{registry.Host}/app:v1");
        var descriptor = new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute(Blob), Blob.Length);

        await using (var stream = await client.OpenBlobAsync(reference, descriptor, "blob", CancellationToken.None))
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(Blob, copy.ToArray());
        }
        var blobRequests = registry.Seen.Where(s => s.Path.Contains("/blobs/", StringComparison.Ordinal)).ToList();
        Assert.Equal([null, "Basic " + Convert.ToBase64String("user:pw-never-elsewhere"u8.ToArray())], blobRequests.Select(s => s.Authorization));
        Assert.Equal([("/signed/blob", (string?)null)], storage.Seen.ToList());
    }

    [Theory]
    [InlineData("http://169.254.169.254/token", "it is a link-local (cloud metadata) address")]
    [InlineData("http://[fe80::1]/token", "it is a link-local (cloud metadata) address")]
    [InlineData("http://metadata.google.internal/token", "it is a cloud metadata address")]
    public async Task A_token_realm_at_a_metadata_address_is_refused_before_anything_is_sent_there(string realm, string why)
    {
        using var registry = new ScriptedServer((_, response) =>
        {
            response.StatusCode = 401;
            response.Headers["WWW-Authenticate"] = $"Bearer realm=\"{realm}\",service=\"test\"";
            return null;
        });
        using var client = new RegistryClient(new RegistryOptions { Credentials = new FixedCredentials(new Credential("user", "pw")), MaxRetries = 0 });
        var reference = ImageReference.Parse($"{registry.Host}/app:v1");
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(reference, "v1", null, reference.ToString(), CancellationToken.None));
        Assert.Equal($"{reference}: {registry.Host} names the token realm {new Uri(realm).GetLeftPart(UriPartial.Path)}, which is refused: {why}", e.Message);
    }

    [Fact]
    public void A_credential_prints_its_user_and_never_its_secret()
    {
        Assert.Equal("credential for me", new Credential("me", "hunter2").ToString());
        Assert.Equal("credential for (identity token)", new Credential(null, null, "tok").ToString());
    }
}
