using Xunit.Sdk;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>The real registry over TLS (a CA the test makes) with htpasswd basic auth (bcrypt, from <c>htpasswd -B</c>).</summary>
public sealed class BasicAuthRegistry : RegistryServer
{
    public const string User = "strata-user";
    public const string Password = "s3cret-Pa55word";

    /// <summary>The test CA's certificate.</summary>
    public string CaCertificate { get; private set; } = "";

    protected override (string Certificate, string Key)? Tls(string directory)
    {
        var (ca, certificate, key) = TestCertificates.Write(Path.Combine(directory, "tls"));
        CaCertificate = ca;
        return (certificate, key);
    }

    protected override string AuthYaml(string directory)
    {
        const string htpasswd = "/usr/bin/htpasswd";
        if (!File.Exists(htpasswd)) throw new XunitException($"{htpasswd} is missing: run scripts/install-deps.sh (package apache2-utils)");
        var file = Path.Combine(directory, "htpasswd");
        var result = Tool.RunAsync(htpasswd, ["-Bbn", User, Password]).GetAwaiter().GetResult().EnsureSuccess();
        File.WriteAllText(file, result.Stdout);
        return $"auth:\n  htpasswd:\n    realm: strata-test\n    path: {file}\n";
    }

    /// <summary>A certs.d directory trusting the test CA for this registry.</summary>
    public string CertsDirectory(string parent)
    {
        var dir = Path.Combine(parent, "certs.d");
        System.IO.Directory.CreateDirectory(Path.Combine(dir, Host));
        File.Copy(CaCertificate, Path.Combine(dir, Host, "ca.crt"), overwrite: true);
        return dir;
    }
}
