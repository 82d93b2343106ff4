using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Configuration;

/// <summary><c>insecure = true</c> in registries.conf against a real TLS registry whose CA nobody trusts.</summary>
public sealed class InsecureRegistryTests(TlsRegistry registry) : IClassFixture<TlsRegistry>, IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_registries_conf_marks_the_registry_insecure()
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/one"] = "over unverified tls\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var reference = $"{registry.Host}/insecure/app:v1";
        await Skopeo.CopyToRegistryAsync(layout, "v1", reference);
        var secure = _scratch.PathOf("secure.conf");
        await File.WriteAllTextAsync(secure, $"[[registry]]\nlocation = \"{registry.Host}\"\n");
        var insecure = _scratch.PathOf("insecure.conf");
        await File.WriteAllTextAsync(insecure, $"[[registry]]\nlocation = \"{registry.Host}\"\ninsecure = true\n");
        var noCerts = _scratch.PathOf("no-certs.d");
        Directory.CreateDirectory(noCerts);

        var refused = await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), "pull", "-q", reference],
            new Dictionary<string, string?> { ["CONTAINERS_REGISTRIES_CONF"] = secure, ["STRATA_CERTS_D"] = noCerts });
        var pulled = await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), "pull", "-q", reference],
            new Dictionary<string, string?> { ["CONTAINERS_REGISTRIES_CONF"] = insecure, ["STRATA_CERTS_D"] = noCerts });

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("TLS certificate is not trusted", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(reference + "\n", pulled.EnsureSuccess().Stdout);
        var id = (await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), "inspect", "--format", "{{.Id}}", reference])).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
    }
}
