using System.Text.RegularExpressions;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Build;

/// <summary>
/// <c>strata build</c> FROM an image that only the real registry holds (put there by skopeo):
/// the base is pulled for the build, kept, used offline afterwards, and checked again with --pull.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed partial class BuildBaseTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", Store, .. arguments]);

    /// <summary>A busybox image with /etc/base holding <paramref name="content"/>, pushed by skopeo as REPO:v1.</summary>
    private async Task<OciLayoutBuilder.Built> PushBaseAsync(string repository, string content)
    {
        var layout = _scratch.PathOf("layout-" + repository.Replace('/', '-') + "-" + content);
        var builder = new OciLayoutBuilder(layout);
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/base"] = content + "\n" }], busybox: true);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        await Skopeo.CopyToRegistryAsync(layout, "v1", $"{registry.Host}/{repository}:v1");
        return image;
    }

    private async Task<ProcessResult> BuildAsync(string dockerfile, params string[] arguments)
    {
        var context = _scratch.PathOf("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        return await StrataAsync(["build", "--progress=plain", .. arguments, context]);
    }

    /// <summary>Each step's name and outcome from BuildKit's plain lines: "NAME: CACHED", "NAME: MISS reason" or "NAME: DONE".</summary>
    private static List<string> Steps(string stderr)
    {
        var names = new SortedDictionary<int, string>();
        var outcomes = new Dictionary<int, string>();
        foreach (var line in stderr.Split('\n'))
        {
            var m = StepLine().Match(line);
            if (!m.Success) continue;
            int id = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var rest = m.Groups[2].Value;
            if (rest.StartsWith('[')) names.TryAdd(id, rest);
            else if (rest == "CACHED") outcomes[id] = "CACHED";
            else if (rest.StartsWith("CACHE MISS: ", StringComparison.Ordinal)) outcomes[id] = "MISS " + rest["CACHE MISS: ".Length..];
            else if (rest.StartsWith("DONE", StringComparison.Ordinal)) outcomes.TryAdd(id, "DONE");
        }
        return [.. names.Where(n => !n.Value.Contains("] FROM ", StringComparison.Ordinal)).Select(n => $"{n.Value}: {outcomes.GetValueOrDefault(n.Key, "?")}")];
    }

    [GeneratedRegex(@"^#(\d+) (.*)$")]
    private static partial Regex StepLine();

    [Fact]
    public async Task Build_from_an_image_only_the_registry_has_pulls_it_and_then_builds_offline()
    {
        var image = await PushBaseAsync("build/base", "one");
        var reference = $"{registry.Host}/build/base:v1";
        var dockerfile = $"FROM {reference}\nRUN cat /etc/base > /seen\n";

        var first = (await BuildAsync(dockerfile, "-t", "built:1")).EnsureSuccess();
        Assert.Equal([$"[internal] load metadata for {reference}: DONE", "[2/2] RUN cat /etc/base > /seen: MISS no previous build"], Steps(first.Stderr));
        // The base is in the store under its name, with the registry's config digest as its ID.
        Assert.Equal(image.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());
        Assert.Equal("one\n", (await StrataAsync("run", "--rm", "built:1", "cat", "/seen")).EnsureSuccess().Stdout);

        // Now stored, the base is used without asking the registry: nothing is resolved again.
        var again = (await BuildAsync(dockerfile, "-t", "built:1")).EnsureSuccess();
        Assert.Equal(["[2/2] RUN cat /etc/base > /seen: CACHED"], Steps(again.Stderr));
    }

    [Fact]
    public async Task Pull_flag_uses_the_new_base_after_the_registry_tag_moved_and_the_miss_names_the_base()
    {
        await PushBaseAsync("build/moving", "old");
        var reference = $"{registry.Host}/build/moving:v1";
        var dockerfile = $"FROM {reference}\nRUN cat /etc/base > /seen\n";
        (await BuildAsync(dockerfile, "-t", "moving:1")).EnsureSuccess();
        var moved = await PushBaseAsync("build/moving", "new");

        // Without --pull the stored base is still used.
        var offline = (await BuildAsync(dockerfile, "-t", "moving:1")).EnsureSuccess();
        Assert.Equal(["[2/2] RUN cat /etc/base > /seen: CACHED"], Steps(offline.Stderr));
        Assert.Equal("old\n", (await StrataAsync("run", "--rm", "moving:1", "cat", "/seen")).EnsureSuccess().Stdout);

        var pulled = (await BuildAsync(dockerfile, "--pull", "-t", "moving:1")).EnsureSuccess();
        Assert.Equal(
            [$"[internal] load metadata for {reference}: DONE", $"[2/2] RUN cat /etc/base > /seen: MISS base image {reference} changed digest"],
            Steps(pulled.Stderr));
        Assert.Equal("new\n", (await StrataAsync("run", "--rm", "moving:1", "cat", "/seen")).EnsureSuccess().Stdout);
        Assert.Equal(moved.ConfigDigest, (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim());

        // --pull when the tag did not move: resolved again, nothing changes, every step cached.
        var same = (await BuildAsync(dockerfile, "--pull", "-t", "moving:1")).EnsureSuccess();
        Assert.Equal(
            [$"[internal] load metadata for {reference}: DONE", "[2/2] RUN cat /etc/base > /seen: CACHED"],
            Steps(same.Stderr));
    }

    [Fact]
    public async Task Only_the_bases_of_stages_the_target_needs_are_pulled_and_a_from_arg_base_is_pulled_too()
    {
        await PushBaseAsync("build/used", "used");
        var used = $"{registry.Host}/build/used:v1";
        var unknown = $"{registry.Host}/build/unused:v1";
        var build = (await BuildAsync($"FROM {unknown} AS unused\nRUN true\nFROM {used}\nRUN cat /etc/base > /seen\n", "-t", "target:1")).EnsureSuccess();
        Assert.Equal([$"[internal] load metadata for {used}: DONE", "[stage-1 2/2] RUN cat /etc/base > /seen: MISS no previous build"], Steps(build.Stderr));

        await PushBaseAsync("build/by-arg", "arg");
        var byArg = $"{registry.Host}/build/by-arg:v1";
        var fromArg = (await BuildAsync("ARG BASE\nFROM $BASE\nRUN cat /etc/base > /seen\n", "--build-arg", "BASE=" + byArg, "-t", "by-arg:1")).EnsureSuccess();
        Assert.Equal([$"[internal] load metadata for {byArg}: DONE", "[2/2] RUN cat /etc/base > /seen: MISS new step"], Steps(fromArg.Stderr));
        Assert.Equal("arg\n", (await StrataAsync("run", "--rm", "by-arg:1", "cat", "/seen")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task A_base_the_registry_does_not_know_fails_in_one_line_naming_the_dockerfile_line_and_the_reference()
    {
        await PushBaseAsync("build/known", "x");
        var reference = $"{registry.Host}/build/known:nope";
        var build = await BuildAsync($"FROM scratch AS first\nFROM {reference}\nRUN true\n", "-t", "never:1");
        Assert.Equal(1, build.ExitCode);
        var error = build.Stderr.TrimEnd('\n').Split('\n')[^1];
        Assert.Equal($"Error: Dockerfile:2: FROM {reference}: failed to resolve source metadata for {reference}: {reference}: MANIFEST_UNKNOWN: manifest unknown", error);
        Assert.Equal(1, (await StrataAsync("inspect", "never:1")).ExitCode);
    }

    [Fact]
    public async Task A_base_on_an_unreachable_registry_fails_in_one_line_naming_the_dockerfile_line_and_the_reference()
    {
        // A port nothing listens on: the registry cannot be reached at all.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var reference = $"127.0.0.1:{port}/build/gone:v1";
        var build = await BuildAsync($"FROM {reference}\nRUN true\n");
        Assert.Equal(1, build.ExitCode);
        var error = build.Stderr.TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith($"Error: Dockerfile:1: FROM {reference}: failed to resolve source metadata for {reference}: 127.0.0.1:{port}: cannot reach the registry", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_docker_image_build_context_only_the_registry_has_is_pulled_as_a_missing_base_is()
    {
        var image = await PushBaseAsync("build/context", "from the context");
        var reference = $"{registry.Host}/build/context:v1";
        var output = _scratch.PathOf("context-output");

        var build = (await BuildAsync("FROM scratch\nCOPY --from=src /etc/base /copied\n", "--build-context", $"src=docker-image://{reference}", "--output", $"type=local,dest={output}")).EnsureSuccess();

        Assert.Contains($"[internal] load metadata for {reference}: DONE", Steps(build.Stderr));
        Assert.Equal("from the context\n", await File.ReadAllTextAsync(Path.Combine(output, "copied")));
        var id = (await StrataAsync("inspect", "--format", "{{.Id}}", reference)).EnsureSuccess().Stdout.Trim();
        Assert.Equal(image.ConfigDigest, id);
    }

    [Fact]
    public async Task A_docker_image_build_context_the_registry_lacks_is_one_line_naming_the_flag()
    {
        var reference = $"{registry.Host}/build/no-such-context:v1";

        var build = await BuildAsync("FROM scratch\nCOPY --from=src /x /x\n", "--build-context", $"src=docker-image://{reference}");

        Assert.Equal(1, build.ExitCode);
        var error = Assert.Single(build.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.StartsWith($"Error: Dockerfile:2: COPY: --build-context \"src=docker-image://{reference}\": image {reference} is not in the local store and its pull failed: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", build.Stderr, StringComparison.Ordinal);
    }
}

