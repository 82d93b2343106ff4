using System.Text.Json.Nodes;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Auth;

/// <summary>
/// login, credentials (config.json and a real credential helper on PATH), pull and push against
/// the real registry with htpasswd basic auth over TLS whose CA strata learns from certs.d.
/// </summary>
[Collection(BasicAuthGroup.Name)]
public sealed class BasicAuthTests(BasicAuthRegistry registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    private string DockerConfigDir => _scratch.PathOf("docker-config");

    private Dictionary<string, string?> Environment(bool trustCa = true) => new()
    {
        ["DOCKER_CONFIG"] = DockerConfigDir,
        ["STRATA_CERTS_D"] = trustCa ? registry.CertsDirectory(_scratch.Path) : Directory.CreateDirectory(_scratch.PathOf("empty-certs.d")).FullName,
        ["PATH"] = _scratch.PathOf("bin") + ":" + System.Environment.GetEnvironmentVariable("PATH"),
        ["HELPER_STORE"] = _scratch.PathOf("helper-store.json"),
    };

    private Task<ProcessResult> StrataAsync(string? stdin, params string[] arguments) => StrataWithAsync(Environment(), stdin, arguments);

    private Task<ProcessResult> StrataWithAsync(Dictionary<string, string?> environment, string? stdin, params string[] arguments) =>
        Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), .. arguments], environment, stdin);

    /// <summary>An image put into the registry by skopeo with the registry's credentials.</summary>
    private async Task<(OciLayoutBuilder.Built Image, string Reference)> PushedImageAsync(string repository)
    {
        var layout = _scratch.PathOf("layout");
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/secure"] = repository + "\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        var reference = $"{registry.Host}/{repository}:v1";
        await Tool.OkAsync(Tool.Skopeo, "copy", "--dest-tls-verify=false", "--dest-creds", $"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}", $"oci:{layout}:v1", "docker://" + reference);
        return (image, reference);
    }

    /// <summary>A real credential helper: an executable docker-credential-strata-test on PATH keeping one JSON file.</summary>
    private void InstallHelper()
    {
        var bin = Directory.CreateDirectory(_scratch.PathOf("bin")).FullName;
        var script = Path.Combine(bin, "docker-credential-strata-test");
        File.WriteAllText(script, """
            #!/usr/bin/python3
            import json, os, sys
            path = os.environ["HELPER_STORE"]
            store = json.load(open(path)) if os.path.exists(path) else {}
            action = sys.argv[1]
            data = sys.stdin.read()
            if action == "store":
                entry = json.loads(data)
                store[entry["ServerURL"]] = entry
                json.dump(store, open(path, "w"))
            elif action == "get":
                server = data.strip()
                if server not in store:
                    print("credentials not found in native keychain")
                    sys.exit(1)
                print(json.dumps(store[server]))
            elif action == "erase":
                store.pop(data.strip(), None)
                json.dump(store, open(path, "w"))
            """.Replace("\r", ""));
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
    }

    private void WriteDockerConfig(string json)
    {
        Directory.CreateDirectory(DockerConfigDir);
        File.WriteAllText(Path.Combine(DockerConfigDir, "config.json"), json);
    }

    [Fact]
    public async Task Login_through_a_credential_helper_then_pull_with_no_password_on_the_command_line()
    {
        var (image, reference) = await PushedImageAsync("secure/helper");
        InstallHelper();
        WriteDockerConfig("""{"credsStore":"strata-test","experimental":"keep-me"}""");

        var login = await StrataAsync(BasicAuthRegistry.Password + "\n", "login", registry.Host, "-u", BasicAuthRegistry.User, "--password-stdin");
        login.EnsureSuccess();
        Assert.Equal("Credentials stored by docker-credential-strata-test.\nLogin Succeeded\n", login.Stdout);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(DockerConfigDir, "config.json")))!;
        Assert.Equal("keep-me", (string?)config["experimental"]);
        Assert.DoesNotContain(BasicAuthRegistry.Password, config.ToJsonString());
        var stored = JsonNode.Parse(File.ReadAllText(_scratch.PathOf("helper-store.json")))![registry.Host]!;
        Assert.Equal(BasicAuthRegistry.User, (string?)stored["Username"]);

        var pull = (await StrataAsync(null, "pull", reference)).EnsureSuccess();
        Assert.Contains($"Status: Downloaded newer image for {reference}\n", pull.Stdout);
        Assert.DoesNotContain(BasicAuthRegistry.Password, pull.Stdout + pull.Stderr);
        Assert.Equal(image.ConfigDigest, (await StrataAsync(null, "inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());

        var logout = (await StrataAsync(null, "logout", registry.Host)).EnsureSuccess();
        Assert.Equal($"Removing login credentials for {registry.Host}\n", logout.Stdout);
        Assert.Equal("{}", JsonNode.Parse(File.ReadAllText(_scratch.PathOf("helper-store.json")))!.ToJsonString());
    }

    [Fact]
    public async Task Login_without_a_helper_stores_base64_in_config_json_and_push_uses_it()
    {
        var (image, reference) = await PushedImageAsync("secure/file");
        var login = (await StrataAsync(BasicAuthRegistry.Password, "login", "https://" + registry.Host, "-u", BasicAuthRegistry.User, "--password-stdin")).EnsureSuccess();
        var configPath = Path.Combine(DockerConfigDir, "config.json");
        Assert.Equal($"WARNING! Your credentials are stored unencrypted in '{configPath}'.\nLogin Succeeded\n", login.Stdout);
        var auth = (string?)JsonNode.Parse(File.ReadAllText(configPath))!["auths"]![registry.Host]!["auth"];
        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}")), auth);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configPath));

        (await StrataAsync(null, "pull", "-q", reference)).EnsureSuccess();
        var target = $"{registry.Host}/secure/pushed:v2";
        (await StrataAsync(null, "tag", reference, target)).EnsureSuccess();
        var push = (await StrataAsync(null, "push", target)).EnsureSuccess();
        Assert.Equal($"v2: digest: {image.ManifestDigest} size: {image.ManifestSize}", push.Stdout.TrimEnd('\n').Split('\n')[^1]);
        var raw = await Tool.OkAsync(Tool.Skopeo, "inspect", "--tls-verify=false", "--creds", $"{BasicAuthRegistry.User}:{BasicAuthRegistry.Password}", "--raw", "docker://" + target);
        Assert.Equal(image.ConfigDigest, (string?)JsonNode.Parse(raw)!["config"]!["digest"]);
    }

    [Fact]
    public async Task Bad_credentials_fail_login_in_one_line_and_store_nothing()
    {
        var login = await StrataAsync("not-the-password", "login", registry.Host, "-u", BasicAuthRegistry.User, "--password-stdin");
        Assert.Equal(1, login.ExitCode);
        Assert.Equal("", login.Stdout);
        Assert.Equal($"Error: login to {registry.Host}: UNAUTHORIZED: authentication required\n", login.Stderr);
        Assert.False(File.Exists(Path.Combine(DockerConfigDir, "config.json")));
    }

    [Fact]
    public async Task Pull_with_wrong_stored_credentials_fails_in_one_line_without_the_secret()
    {
        var (_, reference) = await PushedImageAsync("secure/wrong");
        var auth = Convert.ToBase64String("strata-user:wrong-secret"u8.ToArray());
        WriteDockerConfig("{\"auths\":{\"" + registry.Host + "\":{\"auth\":\"" + auth + "\"}}}");
        var pull = await StrataAsync(null, "pull", reference);
        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {reference}: UNAUTHORIZED: authentication required\n", pull.Stderr);
        Assert.DoesNotContain("wrong-secret", pull.Stdout + pull.Stderr);
    }

    [Fact]
    public async Task A_registry_whose_CA_is_not_trusted_is_refused_and_never_tried_over_plain_http()
    {
        var (_, reference) = await PushedImageAsync("secure/untrusted");
        var pull = await StrataWithAsync(Environment(trustCa: false), null, "pull", reference);
        Assert.Equal(1, pull.ExitCode);
        Assert.StartsWith($"Error: {registry.Host}: the registry's TLS certificate is not trusted (", pull.Stderr);
        Assert.EndsWith($"): put its CA in {_scratch.PathOf("empty-certs.d")}/{registry.Host}/ca.crt\n", pull.Stderr);
        Assert.Single(pull.Stderr.TrimEnd('\n').Split('\n'));
    }
}
