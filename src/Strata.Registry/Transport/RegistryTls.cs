using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Strata.Registry.Transport;

/// <summary>
/// docker's <c>certs.d/HOST[:PORT]/</c> for one registry: <c>*.crt</c> are CAs trusted for it
/// besides the system store, each <c>NAME.cert</c> with its <c>NAME.key</c> is a client certificate.
/// </summary>
internal static class RegistryTls
{
    public static void Configure(SocketsHttpHandler handler, string? certsDirectory, string hostAndPort)
    {
        if (certsDirectory is null) return;
        var dir = Path.Combine(certsDirectory, hostAndPort);
        if (!Directory.Exists(dir)) return;
        var authorities = new X509Certificate2Collection();
        foreach (var ca in Directory.EnumerateFiles(dir, "*.crt").Order(StringComparer.Ordinal)) authorities.ImportFromPemFile(ca);
        var clients = new X509CertificateCollection();
        foreach (var cert in Directory.EnumerateFiles(dir, "*.cert").Order(StringComparer.Ordinal))
        {
            var key = Path.ChangeExtension(cert, ".key");
            if (!File.Exists(key)) throw new Core.InvalidArgumentException($"{cert}: client certificate without its key {key}");
            using var pem = X509Certificate2.CreateFromPemFile(cert, key);
            // A PEM key is ephemeral; TLS on Linux wants it in a PKCS#12 form it can hand to OpenSSL.
            clients.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
        }
        if (clients.Count > 0) handler.SslOptions.ClientCertificates = clients;
        if (authorities.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                // The name must still match; only the trust anchor may come from certs.d.
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            };
        }
    }
}
