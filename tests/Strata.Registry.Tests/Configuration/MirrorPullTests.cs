using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Configuration;

/// <summary>
/// registries.conf read by the CLI (<c>CONTAINERS_REGISTRIES_CONF</c>, <c>$HOME/.config/containers</c>)
/// against two real registries: the shared one as the origin, a second as the mirror.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class MirrorPullTests(RegistryServer origin, MirrorRegistry mirror) : IClassFixture<MirrorRegistry>, IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(string conf, params string[] arguments) =>
        Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments], new Dictionary<string, string?> { ["CONTAINERS_REGISTRIES_CONF"] = conf });

    private string Conf(string text)
    {
        var path = _scratch.PathOf("registries-" + Guid.NewGuid().ToString("N")[..6] + ".conf");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A two-layer image pushed by skopeo to <paramref name="target"/> (<c>HOST/REPO:v1</c>).</summary>
    private async Task<OciLayoutBuilder.Built> PushedAsync(string target, string content)
    {
        var layout = _scratch.PathOf("layout-" + Guid.NewGuid().ToString("N")[..6]);
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/one"] = content + "\n" }, new Dictionary<string, string> { ["etc/two"] = "two\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        await Skopeo.CopyToRegistryAsync(layout, "v1", target);
        return image;
    }

    private static string FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return "127.0.0.1:" + ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Pull_reads_an_image_that_only_the_mirror_has_under_the_mirrors_own_namespace()
    {
        // Only the mirror has it, and under another path: the pull can succeed only through the mirror.
        var image = await PushedAsync($"{mirror.Host}/cache/mirrored/only:v1", "from the mirror");
        var reference = $"{origin.Host}/mirrored/only:v1";
        var conf = Conf($"""
            [[registry]]
            prefix = "{origin.Host}/mirrored"
            location = "{origin.Host}/mirrored"

            [[registry.mirror]]
            location = "{mirror.Host}/cache/mirrored"
            """);

        var pull = (await StrataAsync(conf, "pull", "-q", reference)).EnsureSuccess();

        Assert.Equal(reference + "\n", pull.Stdout);
        var id = (await StrataAsync(conf, "inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
        var fromOrigin = await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("other-store"), "pull", "-q", reference], new Dictionary<string, string?> { ["CONTAINERS_REGISTRIES_CONF"] = Conf("") });
        Assert.Equal(1, fromOrigin.ExitCode);
    }

    [Fact]
    public async Task A_mirror_nobody_listens_on_and_a_mirror_without_the_image_fall_back_to_the_origin()
    {
        var image = await PushedAsync($"{origin.Host}/fallback/app:v1", "from the origin");
        var reference = $"{origin.Host}/fallback/app:v1";
        var conf = Conf($"""
            [[registry]]
            location = "{origin.Host}"

            [[registry.mirror]]
            location = "{FreeLoopbackPort()}"

            [[registry.mirror]]
            location = "{mirror.Host}/empty"
            """);

        (await StrataAsync(conf, "pull", "-q", reference)).EnsureSuccess();

        var id = (await StrataAsync(conf, "inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
    }

    [Fact]
    public async Task When_mirrors_and_origin_all_fail_the_error_is_the_origins_with_the_mirrors_reasons()
    {
        var reference = $"{origin.Host}/fallback/missing:v1";
        var conf = Conf($"""
            [[registry]]
            location = "{origin.Host}/fallback/missing"

            [[registry.mirror]]
            location = "{mirror.Host}/nothing/here"
            """);

        var pull = await StrataAsync(conf, "pull", "-q", reference);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal(
            $"Error: {reference}: MANIFEST_UNKNOWN: manifest unknown (mirrors failed first: {mirror.Host}/nothing/here: MANIFEST_UNKNOWN: manifest unknown)\n",
            pull.Stderr);
    }

    [Fact]
    public async Task A_digest_only_mirror_is_skipped_for_a_tag_and_used_for_a_digest()
    {
        var image = await PushedAsync($"{mirror.Host}/pinned/app:v1", "pinned on the mirror");
        var conf = Conf($"""
            [[registry]]
            prefix = "{origin.Host}/pinned"
            location = "{origin.Host}/pinned"

            [[registry.mirror]]
            location = "{mirror.Host}/pinned"
            pull-from-mirror = "digest-only"
            """);

        var byTag = await StrataAsync(conf, "pull", "-q", $"{origin.Host}/pinned/app:v1");
        var byDigest = await StrataAsync(conf, "pull", "-q", $"{origin.Host}/pinned/app@{image.ManifestDigest}");

        Assert.Equal(1, byTag.ExitCode);
        Assert.Equal($"{origin.Host}/pinned/app@{image.ManifestDigest}\n", byDigest.EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Push_goes_to_the_origin_even_with_a_mirror_configured()
    {
        await PushedAsync($"{origin.Host}/pushed/app:v1", "pushed back");
        var conf = Conf($"""
            [[registry]]
            location = "{origin.Host}"

            [[registry.mirror]]
            location = "{mirror.Host}/push-mirror"
            """);
        (await StrataAsync(conf, "pull", "-q", $"{origin.Host}/pushed/app:v1")).EnsureSuccess();
        (await StrataAsync(conf, "tag", $"{origin.Host}/pushed/app:v1", $"{origin.Host}/pushed/again:v2")).EnsureSuccess();

        (await StrataAsync(conf, "push", "-q", $"{origin.Host}/pushed/again:v2")).EnsureSuccess();

        var (digest, _) = await Skopeo.RawAsync($"{origin.Host}/pushed/again:v2");
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        var onMirror = await Tool.RunAsync(Tool.Skopeo, ["inspect", "--tls-verify=false", "--raw", $"docker://{mirror.Host}/push-mirror/pushed/again:v2"]);
        Assert.NotEqual(0, onMirror.ExitCode);
    }

    [Fact]
    public async Task A_blocked_registry_refuses_pull_and_push_in_one_line_naming_the_reference_and_the_file()
    {
        var conf = Conf($"""
            [[registry]]
            prefix = "{origin.Host}/forbidden"
            location = "{origin.Host}/forbidden"
            blocked = true
            """);

        var pull = await StrataAsync(conf, "pull", "-q", $"{origin.Host}/forbidden/app:v1");
        var allowed = await StrataAsync(conf, "pull", "-q", $"{origin.Host}/forbiddenness/app:v1");

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {origin.Host}/forbidden/app:v1: registry {origin.Host}/forbidden is blocked in {conf}\n", pull.Stderr);
        Assert.Equal("", pull.Stdout);
        // A prefix matches whole path components only: "forbiddenness" is not under "forbidden".
        Assert.DoesNotContain("blocked", allowed.Stderr, StringComparison.Ordinal);

        await PushedAsync($"{origin.Host}/blocked-push/app:v1", "to push");
        (await StrataAsync(Conf(""), "pull", "-q", $"{origin.Host}/blocked-push/app:v1")).EnsureSuccess();
        var blockPush = Conf($"""
            [[registry]]
            location = "{origin.Host}/blocked-push"
            blocked = true
            """);
        var push = await StrataAsync(blockPush, "push", "-q", $"{origin.Host}/blocked-push/app:v1");
        Assert.Equal(1, push.ExitCode);
        Assert.Equal($"Error: {origin.Host}/blocked-push/app:v1: registry {origin.Host}/blocked-push is blocked in {blockPush}\n", push.Stderr);
    }

    [Fact]
    public async Task A_broken_registries_conf_fails_in_one_line_naming_the_file_and_line()
    {
        var syntax = Conf("[[registry]]\nlocation = \"example.com\"\ninsecure = yes\n");
        var types = Conf("[[registry]]\nlocation = \"example.com\"\n\n[[registry.mirror]]\nlocation = \"https://mirror.example.com\"\n");

        var bad = await StrataAsync(syntax, "pull", "-q", $"{origin.Host}/any/app:v1");
        var scheme = await StrataAsync(types, "pull", "-q", $"{origin.Host}/any/app:v1");

        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith($"Error: {syntax}:3: ", bad.Stderr, StringComparison.Ordinal);
        Assert.Single(bad.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(1, scheme.ExitCode);
        Assert.Equal($"Error: {types}:5: invalid location \"https://mirror.example.com\": URI schemes are not supported\n", scheme.Stderr);
    }

    [Fact]
    public async Task The_users_registries_conf_in_home_is_read_when_no_file_is_named()
    {
        var home = _scratch.PathOf("home");
        Directory.CreateDirectory(Path.Combine(home, ".config", "containers"));
        var file = Path.Combine(home, ".config", "containers", "registries.conf");
        await File.WriteAllTextAsync(file, $"[[registry]]\nlocation = \"{origin.Host}/home-blocked\"\nblocked = true\n");

        var pull = await Tool.RunAsync(StrataCli.Binary, ["--root", Store, "pull", "-q", $"{origin.Host}/home-blocked/app:v1"],
            new Dictionary<string, string?> { ["HOME"] = home, ["CONTAINERS_REGISTRIES_CONF"] = null });

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal($"Error: {origin.Host}/home-blocked/app:v1: registry {origin.Host}/home-blocked is blocked in {file}\n", pull.Stderr);
    }

    [Fact]
    public async Task A_drop_in_in_the_users_registries_conf_d_overrides_the_named_file_for_its_prefix()
    {
        var image = await PushedAsync($"{mirror.Host}/dropin/app:v1", "through the drop-in");
        var reference = $"{origin.Host}/dropin/app:v1";
        var home = _scratch.PathOf("home-dropin");
        var dropIns = Path.Combine(home, ".config", "containers", "registries.conf.d");
        Directory.CreateDirectory(dropIns);
        // The named file blocks the prefix; the drop-in's table of the same prefix replaces it with a mirror.
        var conf = Conf($"[[registry]]\nlocation = \"{origin.Host}/dropin\"\nblocked = true\n");
        await File.WriteAllTextAsync(Path.Combine(dropIns, "10-mirror.conf"), $"[[registry]]\nlocation = \"{origin.Host}/dropin\"\n\n[[registry.mirror]]\nlocation = \"{mirror.Host}/dropin\"\n");
        await File.WriteAllTextAsync(Path.Combine(dropIns, "ignored.conf.bak"), "not toml [");
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["CONTAINERS_REGISTRIES_CONF"] = conf };

        var pull = (await Tool.RunAsync(StrataCli.Binary, ["--root", Store, "pull", "-q", reference], env)).EnsureSuccess();

        Assert.Equal(reference + "\n", pull.Stdout);
        var id = (await Tool.RunAsync(StrataCli.Binary, ["--root", Store, "inspect", "--format", "{{.Id}}", reference], env)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
        var withoutDropIn = await Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("other-store"), "pull", "-q", reference],
            new Dictionary<string, string?> { ["HOME"] = _scratch.PathOf("empty-home"), ["CONTAINERS_REGISTRIES_CONF"] = conf });
        Assert.Equal($"Error: {reference}: registry {origin.Host}/dropin is blocked in {conf}\n", withoutDropIn.Stderr);
    }
}
