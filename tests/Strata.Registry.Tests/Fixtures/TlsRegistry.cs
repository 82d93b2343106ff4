namespace Strata.Registry.Tests.Fixtures;

/// <summary>The real registry over TLS with a certificate from a CA nobody trusts (no auth): reachable only when marked insecure.</summary>
public sealed class TlsRegistry : RegistryServer
{
    protected override (string Certificate, string Key)? Tls(string directory)
    {
        var (_, certificate, key) = TestCertificates.Write(Path.Combine(directory, "tls"));
        return (certificate, key);
    }
}
