namespace Strata.Registry.Tests.Fixtures;

/// <summary>The real registry (plain http on loopback) with <c>auth: token</c>, trusting the test's <see cref="TokenIssuer"/>.</summary>
public sealed class TokenAuthRegistry : RegistryServer
{
    public const string User = "token-user";
    public const string Password = "t0ken-Pa55word";

    public TokenIssuer Issuer { get; } = new(User, Password);

    protected override string AuthYaml(string directory)
    {
        var bundle = Path.Combine(directory, "token-root.crt");
        File.WriteAllText(bundle, Issuer.CertificatePem);
        return $"auth:\n  token:\n    realm: {Issuer.Realm}\n    service: {TokenIssuer.Service}\n    issuer: {TokenIssuer.Issuer}\n    rootcertbundle: {bundle}\n";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Issuer.Dispose();
    }
}
