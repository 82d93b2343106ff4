using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Auth;

/// <summary>Bearer tokens against the real registry's <c>auth: token</c> and the test's token issuer.</summary>
[Collection(TokenAuthGroup.Name)]
public sealed class TokenAuthTests(TokenAuthRegistry registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(string? stdin, params string[] arguments) =>
        Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), .. arguments], new Dictionary<string, string?> { ["DOCKER_CONFIG"] = _scratch.PathOf("docker-config") }, stdin);

    private async Task<(OciLayoutBuilder.Built Image, string Reference)> PushedImageAsync(string repository)
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/token"] = repository + "\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var reference = $"{registry.Host}/{repository}:v1";
        await Tool.OkAsync(Tool.Skopeo, "copy", "--dest-tls-verify=false", "--dest-creds", $"{TokenAuthRegistry.User}:{TokenAuthRegistry.Password}", $"oci:{layout}:v1", "docker://" + reference);
        return (image, reference);
    }

    [Fact]
    public async Task Login_then_pull_and_push_with_bearer_tokens_and_no_token_in_any_output()
    {
        var (image, reference) = await PushedImageAsync("tok/private");
        var anonymous = await StrataAsync(null, "pull", reference);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Equal($"Error: {reference}: UNAUTHORIZED: authentication required\n", anonymous.Stderr);

        (await StrataAsync(TokenAuthRegistry.Password, "login", registry.Host, "-u", TokenAuthRegistry.User, "--password-stdin")).EnsureSuccess();
        var pull = (await StrataAsync(null, "pull", reference)).EnsureSuccess();
        Assert.Contains($"Digest: {image.ManifestDigest}\n", pull.Stdout);
        Assert.Equal(image.ConfigDigest, (await StrataAsync(null, "inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());

        var target = $"{registry.Host}/tok/pushed:v1";
        (await StrataAsync(null, "tag", reference, target)).EnsureSuccess();
        var push = (await StrataAsync(null, "push", target)).EnsureSuccess();
        Assert.Equal($"v1: digest: {image.ManifestDigest} size: {image.ManifestSize}", push.Stdout.TrimEnd('\n').Split('\n')[^1]);

        Assert.NotEmpty(registry.Issuer.Issued);
        foreach (var token in registry.Issuer.Issued)
            Assert.DoesNotContain(token[..40], anonymous.Stderr + pull.Stdout + pull.Stderr + push.Stdout + push.Stderr);
    }

    [Fact]
    public async Task Anonymous_pull_gets_a_token_for_a_public_repository()
    {
        var (image, reference) = await PushedImageAsync("tok/public");
        (await StrataAsync(null, "pull", "-q", reference)).EnsureSuccess();
        Assert.Equal(image.ConfigDigest, (await StrataAsync(null, "inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task A_token_server_refusing_the_credentials_fails_login_in_one_line()
    {
        var login = await StrataAsync("wrong-password", "login", registry.Host, "-u", TokenAuthRegistry.User, "--password-stdin");
        Assert.Equal(1, login.ExitCode);
        Assert.Equal($"Error: login to {registry.Host}: unauthorized: the token server {new Uri(registry.Issuer.Realm).Authority} refused the credentials (401)\n", login.Stderr);
    }
}
